// What is typed into a form marked `data-keep` survives until that form is sent: a closed tab,
// a crash, a lock, or another form on the same page sent first (a delete button, a second Save).
//
// Each text box's words are kept in this browser's draft store (drafts.js, the one writing and
// drawing use) as they are typed, with the value the page showed when it opened. When the page opens again still showing that same
// value, the words come back and a note says they are not saved yet. Sending the form itself
// settles them: what the server shows next is its own answer. Forms whose text is saved to the
// journal as it is typed (the writing page, Reflect, the capture, the safety plan) have their
// own scripts and are not marked.
(function () {
  "use strict";

  var Store = window.AfterglowStore;
  if (!Store || !Store.available) return; // private mode or disabled storage: the forms work as plain forms

  var PREFIX = "afterglow:formdraft:";
  // Before the one store, these drafts lived under this prefix as {value, shown, at, sent}.
  // They are moved over the first time they are read, so nothing typed before is lost.
  var OLD_PREFIX = "afterglow:form:";
  // A kept value older than this is not brought back (the page has surely moved on).
  var MAX_AGE_MS = 7 * 24 * 3600 * 1000;

  var drafts = Store.store(PREFIX, function (draft) { return typeof draft.value === "string"; });

  function uid(form, box) {
    // data-keep="name" tells apart forms that share an action (one per prompt on Reflect).
    var which = form.getAttribute("data-keep") || form.getAttribute("action") || "";
    return location.pathname + "|" + which + "|" + box.name;
  }

  // The old record under the old key, moved to the store (or dropped when unreadable).
  function migrate(id) {
    var old = null;
    try {
      old = window.localStorage.getItem(OLD_PREFIX + id);
    } catch (e) {
      return;
    }
    if (old === null) return;
    var kept = null;
    try { kept = JSON.parse(old); } catch (e) { /* unreadable: nothing to bring back */ }
    if (kept && typeof kept.value === "string" && !drafts.read(id)) {
      drafts.keep({ uid: id, value: kept.value, shown: kept.shown, changedAt: kept.at || 0, sent: !!kept.sent });
      if (!drafts.read(id)) return; // the store is full: the old record stays where it is
    }
    try { window.localStorage.removeItem(OLD_PREFIX + id); } catch (e) { /* nothing more to do */ }
  }

  function read(id) {
    migrate(id);
    return drafts.read(id);
  }

  function boxes(form) {
    return Array.prototype.filter.call(form.querySelectorAll("textarea, input[type=text]"), function (box) {
      return box.name && !box.disabled;
    });
  }

  function notice(form) {
    if (form.querySelector("[data-keep-note]")) return;
    var note = document.createElement("p");
    note.className = "keep-note";
    note.setAttribute("role", "status");
    note.setAttribute("data-keep-note", "");
    note.textContent = "Brought back what you typed here earlier. It is not saved yet — use the button below when you are ready.";
    form.insertBefore(note, form.firstChild);
  }

  function stale(kept) {
    return kept.sent || Date.now() - (kept.changedAt || 0) > MAX_AGE_MS;
  }

  function setUp(form) {
    var fields = boxes(form);
    fields.forEach(function (box) {
      var id = uid(form, box);
      var shown = box.value;
      var kept = read(id);
      if (kept && (stale(kept) || kept.value === shown)) {
        drafts.forget(id);
      } else if (kept && kept.shown === shown) {
        box.value = kept.value;
        notice(form);
      } else if (kept) {
        drafts.forget(id); // the saved answer changed since (another tab, another device): it wins
      }
      box.addEventListener("input", function () {
        drafts.keep({ uid: id, value: box.value, shown: shown, changedAt: Date.now() });
      });
    });
    form.addEventListener("submit", function () {
      fields.forEach(function (box) {
        var kept = read(uid(form, box));
        if (kept) { kept.sent = true; drafts.keep(kept); }
      });
    });
  }

  // Every page tidies up: old-keyed drafts are moved over, and words already sent, or left for
  // longer than a week, are removed.
  function tidy() {
    var old = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var name = window.localStorage.key(i);
        if (name && name.indexOf(OLD_PREFIX) === 0) old.push(name.slice(OLD_PREFIX.length));
      }
    } catch (e) { /* storage went away: nothing to move */ }
    old.forEach(migrate);
    drafts.all().forEach(function (kept) {
      if (stale(kept)) drafts.forget(kept.uid);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-keep]"), setUp);
    tidy();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
