// Drafts that survive a closed tab, a crashed browser, a stopped server or a locked journal.
//
// Every keystroke's text is kept in this browser's localStorage, keyed by the entry's
// uid, and pushed to the server's autosave endpoint. A draft is forgotten only after
// the server answered with the digest of exactly that text. Used by write.js.
(function () {
  "use strict";

  var PREFIX = "afterglow:draft:";
  var PREF = "afterglow:pref:";
  // Browsers refuse keepalive requests and beacons bigger than 64 KiB.
  var KEEPALIVE_LIMIT = 60000;

  function openStorage() {
    try {
      var s = window.localStorage;
      s.setItem(PREFIX + "probe", "1");
      s.removeItem(PREFIX + "probe");
      return s;
    } catch (e) {
      return null; // private mode, disabled storage, or a full disk
    }
  }
  var storage = openStorage();

  function keep(draft) {
    if (!storage) return false;
    try {
      storage.setItem(PREFIX + draft.uid, JSON.stringify(draft));
      return true;
    } catch (e) {
      return false; // over quota: the server copy is the only one
    }
  }

  function read(uid) {
    if (!storage) return null;
    try {
      var draft = JSON.parse(storage.getItem(PREFIX + uid) || "null");
      return draft && typeof draft.text === "string" && draft.uid ? draft : null;
    } catch (e) {
      return null;
    }
  }

  function forget(uid) {
    if (storage) storage.removeItem(PREFIX + uid);
  }

  function all() {
    if (!storage) return [];
    var found = [];
    for (var i = 0; i < storage.length; i++) {
      var key = storage.key(i);
      if (key && key.indexOf(PREFIX) === 0 && key !== PREFIX + "probe") {
        var draft = read(key.slice(PREFIX.length));
        if (draft) found.push(draft);
      }
    }
    return found.sort(function (a, b) { return (b.changedAt || 0) - (a.changedAt || 0); });
  }

  function pref(name, value) {
    if (!storage) return null;
    if (value === undefined) return storage.getItem(PREF + name);
    try { storage.setItem(PREF + name, value); } catch (e) { /* a preference is not worth an error */ }
    return value;
  }

  function newUid() {
    var c = window.crypto;
    if (c && c.randomUUID) return c.randomUUID();
    var b = new Uint8Array(16);
    c.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // sha256 of the UTF-8 text, hex; null where the browser has no SubtleCrypto (plain http off localhost).
  function digest(text) {
    var subtle = window.crypto && window.crypto.subtle;
    if (!subtle || !window.TextEncoder) return Promise.resolve(null);
    return subtle.digest("SHA-256", new TextEncoder().encode(text)).then(function (buf) {
      return Array.prototype.map.call(new Uint8Array(buf), function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    }, function () { return null; });
  }

  function payload(draft, csrf) {
    var body = new URLSearchParams();
    body.set("csrfmiddlewaretoken", csrf);
    body.set("uid", draft.uid);
    body.set("text", draft.text);
    body.set("session", draft.session || "");
    body.set("prompt", draft.prompt || "");
    if (draft.private) body.set("private", "on");
    if (draft.editing) body.set("editing", draft.editing);
    return body;
  }

  function failure(status, message) {
    return { ok: false, status: status, message: message, data: null };
  }

  function answer(response) {
    var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
    if (!isJson) {
      if (response.status === 401) return failure(401, "The journal is locked. Unlock it and your writing will be saved.");
      if (response.status === 403) return failure(403, "This page has expired. Reload it — your writing is kept on this device.");
      return failure(response.status, "");
    }
    return response.json().then(function (data) {
      if (response.ok && data && data.ok) return { ok: true, status: response.status, message: "", data: data };
      return failure(response.status, (data && data.message) || "");
    });
  }

  // Forget the local copy only when the server holds exactly this text, and nothing newer was typed since.
  function confirm(draft, result) {
    if (!result.ok) return result;
    return digest(draft.text).then(function (hex) {
      result.confirmed = hex === null || hex === result.data.digest;
      var stored = read(draft.uid);
      if (result.confirmed && stored && stored.text === draft.text) forget(draft.uid);
      return result;
    });
  }

  function push(url, draft, csrf, options) {
    var body = payload(draft, csrf);
    var keepalive = !!(options && options.keepalive) && body.toString().length < KEEPALIVE_LIMIT;
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      keepalive: keepalive,
    })
      .then(answer)
      .then(function (result) { return confirm(draft, result); })
      .catch(function () { return failure(0, ""); });
  }

  // Last words as the page goes away: no answer will be read, so the local copy stays until next time.
  function beacon(url, draft, csrf) {
    var body = payload(draft, csrf);
    if (!navigator.sendBeacon || body.toString().length >= KEEPALIVE_LIMIT) return false;
    try {
      return navigator.sendBeacon(url, body);
    } catch (e) {
      return false;
    }
  }

  // A page that shows a saved entry (data-uid + data-digest) settles a leftover local copy of it.
  function settleShown() {
    var shown = document.querySelectorAll("[data-uid][data-digest]");
    Array.prototype.forEach.call(shown, function (el) {
      var draft = read(el.getAttribute("data-uid"));
      if (!draft) return;
      digest(draft.text).then(function (hex) {
        if (hex !== null && hex === el.getAttribute("data-digest")) forget(draft.uid);
      });
    });
  }

  window.AfterglowDrafts = {
    available: !!storage,
    keep: keep,
    read: read,
    forget: forget,
    all: all,
    pref: pref,
    newUid: newUid,
    push: push,
    beacon: beacon,
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", settleShown);
  } else {
    settleShown();
  }
})();
