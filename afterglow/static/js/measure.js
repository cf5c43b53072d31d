// A questionnaire: save each answer the moment it is given (leaving half-way loses nothing),
// show crisis help at once when the crisis item is above 0, and on a phone show one question a screen.
// Without this file the page is a plain form: all questions, and buttons that save.
(function () {
  "use strict";

  var form = document.getElementById("measure-form");
  if (!form || !window.fetch || !window.FormData) return;
  var status = document.getElementById("measure-status");
  var progress = document.getElementById("measure-progress");
  var count = document.getElementById("measure-count");
  var crisis = document.getElementById("crisis-now");
  var url = form.getAttribute("data-autosave-url");
  var items = Array.prototype.slice.call(form.querySelectorAll(".measure-item"));
  var stepper = form.querySelector(".measure-stepper");
  var phone = window.matchMedia("(max-width: 640px)");
  var current = 0;
  var ADVANCE_MS = 350;

  function show(text, isError) {
    status.textContent = text;
    status.classList.toggle("is-error", !!isError);
  }

  function save(input) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    data.append("uid", form.elements.uid.value);
    data.append(input.name, input.value);
    show("Saving…");
    return fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!isJson) throw new Error("not saved");
        return response.json().then(function (answer) {
          if (!response.ok || !answer.ok) { show(answer.message || "Not saved — please try again.", true); return; }
          show(answer.saved_label || "Saved");
          progress.value = answer.answered;
          count.textContent = answer.answered + " of " + progress.max + " answered";
          if (crisis) crisis.hidden = !answer.crisis;
        });
      })
      .catch(function () {
        show("Not saved yet — your answer is still here; “See my result” or “Finish later” will save it.", true);
      });
  }

  function answeredOn(item) {
    return !!item.querySelector("input:checked");
  }

  function go(index) {
    current = Math.max(0, Math.min(items.length - 1, index));
    items.forEach(function (item, i) { item.classList.toggle("is-current", i === current); });
    form.classList.toggle("at-end", current === items.length - 1);
    var first = items[current].querySelector("input:checked") || items[current].querySelector("input");
    if (first && phone.matches) first.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }

  function onePerScreen(on) {
    form.classList.toggle("one-at-a-time", on);
    stepper.hidden = !on;
    if (on) {
      var firstOpen = items.findIndex(function (item) { return !answeredOn(item); });
      go(firstOpen === -1 ? items.length - 1 : firstOpen);
    }
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.type !== "radio") return;
    save(input).then(function () {
      // Stay on the crisis item while its help is showing; otherwise move on.
      var holding = crisis && !crisis.hidden && items[current].contains(crisis);
      if (phone.matches && !holding && current < items.length - 1) setTimeout(function () { go(current + 1); }, ADVANCE_MS);
    });
  });
  stepper.addEventListener("click", function (event) {
    var step = event.target.getAttribute("data-step");
    if (step === "next") go(current + 1);
    if (step === "back") go(current - 1);
  });
  phone.addEventListener("change", function () { onePerScreen(phone.matches); });
  onePerScreen(phone.matches);
  // A page reloaded with item 9 already above 0 shows its help again.
  if (crisis) {
    var held = crisis.closest(".measure-item").querySelector("input:checked");
    crisis.hidden = !(held && parseInt(held.value, 10) > 0);
  }
})();
