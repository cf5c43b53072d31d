// The safety plan saves itself a moment after typing stops, so a closed tab or a lock loses nothing.
// Without this file the page is a plain form with a Save button.
(function () {
  "use strict";

  var form = document.getElementById("plan-form");
  var status = document.getElementById("plan-status");
  if (!form || !status || !window.fetch || !window.FormData) return;

  var PAUSE_MS = 1500;
  var timer = null;
  var lastSent = new URLSearchParams(new FormData(form)).toString();

  function show(text, isError) {
    status.textContent = text;
    status.classList.toggle("is-error", !!isError);
  }

  // Resolves true when what is on the page is saved.
  function save() {
    clearTimeout(timer);
    var data = new FormData(form);
    var print = new URLSearchParams(data).toString();
    if (print === lastSent) return Promise.resolve(true);
    show("Saving…");
    return fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.status === 401) {
          show(document.documentElement.hasAttribute("data-signs-in")  // a clinic: signed out, not locked
            ? "You were signed out. Your plan is still on this page: sign in again in another tab, then press Save."
            : "The journal locked. Your plan is still on this page: unlock in another tab, then press Save.", true);
          return false;
        }
        return response.json().then(function (answer) {
          if (!response.ok || !answer.ok) { show(answer.message || "Not saved — please try again.", true); return false; }
          lastSent = print;
          show(answer.saved_label || "Saved");
          return true;
        });
      })
      .catch(function () {
        show("Not saved yet — your plan is still on this page; press Save to try again.", true);
        return false;
      });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(save, PAUSE_MS);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && timer) save();
  });
  // Save first; leave the page only when the plan is safely stored.
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    save().then(function (saved) { if (saved) form.submit(); });
  });
})();
