// A form marked `data-autosave` saves itself a moment after typing stops (and at once when a
// choice is tapped), as the writing page does: the whole form is posted in the background and the
// page answers JSON (or posted to the address in data-autosave, when it has one). keep.js holds the words in this browser meanwhile, so nothing typed is lost if
// a save fails. Without this file the form is a plain form with its Save button.
(function () {
  "use strict";

  if (!window.fetch || !window.FormData) return;
  var PAUSE_MS = 1500;

  function setUp(form) {
    var status = form.querySelector("[data-autosave-status]");
    if (!status) {
      status = document.createElement("p");
      status.className = "autosave-status";
      status.setAttribute("aria-live", "polite");
      status.setAttribute("data-autosave-status", "");
      var actions = form.querySelector("[type=submit]");
      form.insertBefore(status, actions ? actions.closest("div") || actions : null);
    }
    var timer = null;
    var inFlight = null;
    var again = false;
    var sent = false; // the form itself was sent: no background save may follow it
    var lastSent = new URLSearchParams(new FormData(form)).toString();

    function show(text, isError) {
      status.textContent = text;
      status.classList.toggle("is-error", !!isError);
    }

    function save() {
      clearTimeout(timer);
      timer = null;
      if (sent) return;
      if (inFlight) { again = true; return; }
      var data = new FormData(form);
      var print = new URLSearchParams(data).toString();
      if (print === lastSent) return;
      // data-autosave="url" sends the background saves elsewhere (the check-in keeps a draft there).
      inFlight = fetch(form.getAttribute("data-autosave") || form.action, {
        method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" },
      }).then(function (response) {
        var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!isJson) throw new Error("not saved");
        return response.json().then(function (answer) {
          if (response.ok && answer.ok) {
            lastSent = print;
            show(answer.saved_label || "Saved");
          } else {
            show(answer.message || "Not saved yet.", true);
          }
        });
      }).catch(function () {
        show("Not saved yet — it is kept on this device; press Save when Afterglow is back.", true);
      }).then(function () {
        inFlight = null;
        if (again) { again = false; save(); }
      });
    }

    form.addEventListener("input", function (event) {
      var box = event.target;
      if (box && (box.tagName === "TEXTAREA" || box.type === "text")) {
        clearTimeout(timer);
        timer = setTimeout(save, PAUSE_MS);
      }
    });
    form.addEventListener("change", function (event) {
      // A tapped choice, a number, a day or a time (typed words are saved after the pause above).
      var box = event.target;
      if (box && box.tagName !== "TEXTAREA" && box.type !== "text") save();
    });
    window.addEventListener("pagehide", function () { if (timer) save(); });
    form.addEventListener("submit", function () { sent = true; clearTimeout(timer); timer = null; again = false; });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
