// Forms whose work takes a few seconds (creating the journal derives a key and
// sets up the tables): on submit, say what is happening and ignore a second tap.
(function () {
  "use strict";

  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    var message = form.getAttribute("data-busy");
    var status = form.querySelector("[data-busy-status]");
    var button = form.querySelector("button[type=submit]");
    var label = button ? button.textContent : "";
    var sent = false;

    form.addEventListener("submit", function (event) {
      if (sent) { event.preventDefault(); return; }
      sent = true;
      form.setAttribute("aria-busy", "true");
      if (status) status.textContent = message + " This takes a few seconds.";
      if (button) { button.textContent = message; button.setAttribute("aria-disabled", "true"); }
    });

    // Back to this page from the browser's cache: ready again.
    window.addEventListener("pageshow", function () {
      sent = false;
      form.removeAttribute("aria-busy");
      if (status) status.textContent = "";
      if (button) { button.textContent = label; button.removeAttribute("aria-disabled"); }
    });
  });
})();
