// What is typed into a form marked `data-keep` survives until that form is sent: a closed tab,
// a crash, a lock, or another form on the same page sent first (a delete button, a second Save).
//
// Each text box's words are kept in this browser's localStorage as they are typed, with the
// value the page showed when it opened. When the page opens again still showing that same
// value, the words come back and a note says they are not saved yet. Sending the form itself
// settles them: what the server shows next is its own answer. Forms whose text is saved to the
// journal as it is typed (the writing page, Reflect, the capture, the safety plan) have their
// own scripts and are not marked.
(function () {
  "use strict";

  var PREFIX = "afterglow:form:";
  // A kept value older than this is not brought back (the page has surely moved on).
  var MAX_AGE_MS = 7 * 24 * 3600 * 1000;

  var storage = null;
  try {
    storage = window.localStorage;
    storage.setItem(PREFIX + "probe", "1");
    storage.removeItem(PREFIX + "probe");
  } catch (e) {
    return; // private mode or disabled storage: the forms work as plain forms
  }

  function key(form, box) {
    // data-keep="name" tells apart forms that share an action (one per prompt on Reflect).
    var which = form.getAttribute("data-keep") || form.getAttribute("action") || "";
    return PREFIX + location.pathname + "|" + which + "|" + box.name;
  }

  function read(name) {
    try {
      var kept = JSON.parse(storage.getItem(name) || "null");
      return kept && typeof kept.value === "string" ? kept : null;
    } catch (e) {
      return null;
    }
  }

  function write(name, kept) {
    try { storage.setItem(name, JSON.stringify(kept)); } catch (e) { /* full: the page still holds it */ }
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

  function setUp(form) {
    var fields = boxes(form);
    fields.forEach(function (box) {
      var name = key(form, box);
      var shown = box.value;
      var kept = read(name);
      if (kept && (kept.sent || kept.value === shown || Date.now() - kept.at > MAX_AGE_MS)) {
        storage.removeItem(name);
      } else if (kept && kept.shown === shown) {
        box.value = kept.value;
        notice(form);
      } else if (kept) {
        storage.removeItem(name); // the saved answer changed since (another tab, another device): it wins
      }
      box.addEventListener("input", function () {
        write(name, { value: box.value, shown: shown, at: Date.now() });
      });
    });
    form.addEventListener("submit", function () {
      fields.forEach(function (box) {
        var name = key(form, box);
        var kept = read(name);
        if (kept) { kept.sent = true; write(name, kept); }
      });
    });
  }

  // Every page tidies up: words already sent, or left for longer than a week, are removed.
  function tidy() {
    var names = [];
    for (var i = 0; i < storage.length; i++) {
      var name = storage.key(i);
      if (name && name.indexOf(PREFIX) === 0) names.push(name);
    }
    names.forEach(function (name) {
      var kept = read(name);
      if (!kept || kept.sent || Date.now() - kept.at > MAX_AGE_MS) storage.removeItem(name);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-keep]"), setUp);
    tidy();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
