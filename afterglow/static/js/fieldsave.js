// Autosave for a text box that is one entry of many on a page (the Reflect page's answers).
//
// Each `textarea[data-autosave-url]` is saved on its own, as the writing page saves: every
// keystroke is kept in this browser (AfterglowDrafts, autosave.js) and pushed to the server a
// moment later; the local copy is forgotten only when the server holds exactly that text.
// Saving one box never touches another. Without this file the page is a plain form whose
// Save buttons send every box at once.
(function () {
  "use strict";

  var Drafts = window.AfterglowDrafts;
  if (!Drafts || !window.fetch || !window.URLSearchParams) return;

  var PAUSE_MS = 1500;
  var LOCAL = "Not saved yet — kept on this device";

  function csrfToken(box) {
    var form = box.form || document.getElementById(box.getAttribute("form") || "");
    var input = form && form.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function Field(box) {
    this.box = box;
    this.url = box.getAttribute("data-autosave-url");
    this.status = document.getElementById(box.getAttribute("data-status") || "");
    this.existing = box.getAttribute("data-existing") === "1";
    this.savedAt = parseInt(box.getAttribute("data-saved-at") || "0", 10) * 1000;
    this.csrf = csrfToken(box);
    this.timer = null;
    this.dirty = false;
  }

  Field.prototype.draft = function () {
    return {
      uid: this.box.getAttribute("data-uid"),
      text: this.box.value,
      session: this.box.getAttribute("data-session") || "",
      prompt: this.box.getAttribute("data-prompt") || "",
      changedAt: Date.now(),
    };
  };

  Field.prototype.show = function (text, kind) {
    if (!this.status) return;
    this.status.textContent = text;
    this.status.classList.toggle("is-local", kind === "local");
    this.status.classList.toggle("is-error", kind === "error");
  };

  Field.prototype.changed = function () {
    var self = this;
    this.dirty = true;
    Drafts.keep(this.draft());
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.save(); }, PAUSE_MS);
  };

  Field.prototype.save = function (options) {
    var self = this;
    clearTimeout(this.timer);
    var current = this.draft();
    if (!current.text.trim()) {
      this.dirty = false;
      if (this.existing) this.show("An empty answer is not saved — the last version is kept.", "error");
      return Promise.resolve(null);
    }
    if (this.inFlight) { this.again = true; return this.inFlight; }
    this.dirty = false;
    this.inFlight = Drafts.push(this.url, current, this.csrf, options).then(function (result) {
      self.inFlight = null;
      if (result.ok) {
        self.existing = true;
        // The server may answer with the uid of an answer saved meanwhile in another tab.
        if (result.data.uid && result.data.uid !== current.uid) {
          Drafts.forget(current.uid);
          self.box.setAttribute("data-uid", result.data.uid);
        }
        self.show(result.data.saved_label, "saved");
      } else if (result.status === 400 || result.status === 404 || result.status === 413) {
        self.show(result.message || LOCAL, "error");
      } else {
        self.dirty = true; // offline, locked or restarting: try again shortly
        self.show(result.message || LOCAL, "local");
      }
      if (self.again) { self.again = false; self.save(); }
      return result;
    });
    return this.inFlight;
  };

  // A local copy newer than what the page shows (a closed tab, a failed save) comes back and is sent.
  // Copies the server already has (same text, or older than the saved answer) are forgotten.
  Field.prototype.restore = function (drafts) {
    var uid = this.box.getAttribute("data-uid");
    var session = this.box.getAttribute("data-session") || "";
    var prompt = this.box.getAttribute("data-prompt") || "";
    var self = this;
    var mine = drafts.filter(function (d) {
      return d.uid === uid || (prompt && d.session === session && d.prompt === prompt);
    });
    var newest = null;
    mine.forEach(function (d) {
      if (d.text === self.box.value || (self.existing && d.changedAt <= self.savedAt)) Drafts.forget(d.uid);
      else if (!newest) newest = d; // Drafts.all() is newest first
    });
    if (!newest) return;
    if (!this.existing) this.box.setAttribute("data-uid", newest.uid);
    else if (newest.uid !== uid) Drafts.forget(newest.uid);
    this.box.value = newest.text;
    this.show("Brought back what you typed here earlier; saving it now.", "local");
    this.changed();
    this.save();
  };

  function start() {
    var boxes = document.querySelectorAll("textarea[data-autosave-url]");
    if (!boxes.length) return;
    var drafts = Drafts.all();
    var fields = Array.prototype.map.call(boxes, function (box) {
      var field = new Field(box);
      field.restore(drafts);
      box.addEventListener("input", function () { field.changed(); });
      box.addEventListener("blur", function () { if (field.dirty) field.save(); });
      return field;
    });
    // A Save button sends every box with the form: no background save may race it.
    var sending = false;
    document.addEventListener("submit", function (event) {
      fields.forEach(function (field) {
        var form = field.box.form;
        if (form && form === event.target) {
          sending = true;
          clearTimeout(field.timer);
        }
      });
    });
    window.addEventListener("pagehide", function () {
      if (sending) return;
      fields.forEach(function (field) {
        if (!field.dirty) return;
        var current = field.draft();
        Drafts.keep(current);
        if (current.text.trim()) Drafts.beacon(field.url, current, field.csrf);
      });
    });
    window.addEventListener("online", function () {
      fields.forEach(function (field) { if (field.dirty) field.save(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
