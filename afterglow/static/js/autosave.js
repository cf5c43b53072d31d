// Drafts that survive a closed tab, a crashed browser, a stopped server or a locked journal.
//
// Every keystroke's text is kept in this browser (drafts.js), keyed by the entry's
// uid, and pushed to the server's autosave endpoint. A draft is forgotten only after
// the server answered with the digest of exactly that text. Used by write.js.
(function () {
  "use strict";

  var Store = window.AfterglowStore;
  if (!Store) return;
  // Browsers refuse keepalive requests and beacons bigger than 64 KiB.
  var KEEPALIVE_LIMIT = 60000;

  var drafts = Store.store("afterglow:draft:", function (draft) { return typeof draft.text === "string"; });
  var keep = drafts.keep;
  var read = drafts.read;
  var forget = drafts.forget;

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
      if (response.status === 401) {
        // A clinic's server says it in its own words (signed out, or the session ended while idle).
        if ((response.headers.get("Content-Type") || "").indexOf("text/plain") === 0) {
          return response.text().then(function (text) { return failure(401, text); });
        }
        return failure(401, "The journal is locked. Unlock it and your writing will be saved.");
      }
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
    available: drafts.available,
    keep: keep,
    read: read,
    forget: forget,
    all: drafts.all,
    pref: Store.pref,
    newUid: Store.newUid,
    push: push,
    beacon: beacon,
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", settleShown);
  } else {
    settleShown();
  }
})();
