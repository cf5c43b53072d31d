// The one place unsaved work waits in this browser: writing (autosave.js), drawings (draw.js)
// and the words typed into every other form (keep.js).
//
// A draft is a JSON record with a `uid` and a `changedAt`, kept in localStorage under its
// kind's prefix until the server holds that exact version; the page that made it decides
// when that is. Without storage (private mode, disabled, a full disk) every call is a quiet
// no-op and `available` is false, so the page can say the server copy is the only one.
(function () {
  "use strict";

  var PROBE = "afterglow:probe";
  var PREF = "afterglow:pref:";

  function openStorage() {
    try {
      var s = window.localStorage;
      s.setItem(PROBE, "1");
      s.removeItem(PROBE);
      return s;
    } catch (e) {
      return null;
    }
  }
  var storage = openStorage();

  // The drafts of one kind: `prefix` names the kind, `fits` says whether a stored record is one of them.
  function store(prefix, fits) {
    function key(uid) { return prefix + uid; }

    function keep(draft) {
      if (!storage) return false;
      try {
        storage.setItem(key(draft.uid), JSON.stringify(draft));
        return true;
      } catch (e) {
        return false; // over quota: the server copy is the only one
      }
    }

    function read(uid) {
      if (!storage) return null;
      try {
        var draft = JSON.parse(storage.getItem(key(uid)) || "null");
        return draft && draft.uid && fits(draft) ? draft : null;
      } catch (e) {
        return null;
      }
    }

    function forget(uid) {
      if (storage) storage.removeItem(key(uid));
    }

    // Newest first.
    function all() {
      if (!storage) return [];
      var found = [];
      for (var i = 0; i < storage.length; i++) {
        var name = storage.key(i);
        if (name && name.indexOf(prefix) === 0 && name !== prefix + "probe") {
          var draft = read(name.slice(prefix.length));
          if (draft) found.push(draft);
        }
      }
      return found.sort(function (a, b) { return (b.changedAt || 0) - (a.changedAt || 0); });
    }

    return { available: !!storage, keep: keep, read: read, forget: forget, all: all };
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

  window.AfterglowStore = { available: !!storage, store: store, pref: pref, newUid: newUid };
})();
