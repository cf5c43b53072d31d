// Quick capture: save each answer the moment it changes, so stopping half-way loses nothing.
// Without this file the page is a plain form and every button saves too.
(function () {
  "use strict";

  var form = document.getElementById("capture-form");
  var status = document.getElementById("capture-status");
  if (!form || !status || !window.fetch || !window.FormData) return;

  var TYPING_PAUSE_MS = 1200;
  var timer = null;
  var inFlight = null;
  var again = false;
  var lastSent = null;

  function show(text, isError) {
    status.textContent = text;
    status.classList.toggle("is-error", !!isError);
  }

  function body() {
    // The form as it stands, without the navigation button a submit would add.
    return new FormData(form);
  }

  function fingerprint(data) {
    var parts = [];
    data.forEach(function (value, key) { parts.push(key + "=" + value); });
    return parts.join("&");
  }

  function save() {
    clearTimeout(timer);
    if (inFlight) { again = true; return inFlight; }
    var data = body();
    var print = fingerprint(data);
    if (print === lastSent) return Promise.resolve();
    show("Saving…");
    inFlight = fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
    })
      .then(function (response) {
        var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!isJson) throw new Error("not saved");
        return response.json().then(function (answer) {
          if (response.ok && answer.ok) {
            lastSent = print;
            show(answer.saved_label || "Saved");
          } else {
            show(answer.message || "Not saved — please try again.", true);
          }
        });
      })
      .catch(function () {
        show("Not saved yet — the answer is still here; press Next to save it.", true);
      })
      .then(function () {
        inFlight = null;
        if (again) { again = false; save(); }
      });
    return inFlight;
  }

  // Advice beside a side effect shows at once from the level the data sets for it
  // (warning signs from "mild"; expected effects only when strong; pleasant never).
  function clinicianNote(event) {
    var input = event.target;
    var item = input && input.closest ? input.closest(".capture-item[data-advise-from]") : null;
    var note = item ? item.querySelector(".capture-advice") : null;
    if (!note || input.type !== "radio") return;
    var level = parseInt(input.value, 10);
    note.hidden = !(level >= parseInt(item.getAttribute("data-advise-from"), 10));
  }

  form.addEventListener("change", clinicianNote);
  form.addEventListener("change", save);
  form.addEventListener("input", function (event) {
    if (event.target && (event.target.type === "text" || event.target.tagName === "TEXTAREA")) {
      clearTimeout(timer);
      timer = setTimeout(save, TYPING_PAUSE_MS);
    }
  });
  // Leaving the page half-way (closing the tab, switching apps): send what is there.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && timer) save();
  });

  lastSent = fingerprint(body());
})();
