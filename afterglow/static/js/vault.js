// Vault pages: a live passphrase hint, a print button, and the wait countdown.
(function () {
  "use strict";

  var COMMON = ["password", "passphrase", "12345678", "123456789", "qwertyuiop", "iloveyou", "afterglow", "ketamine"];

  // Mirrors afterglow/vault/strength.py: length counts more than symbols.
  function hint(value) {
    var words = value.trim().split(/\s+/).filter(Boolean).length;
    if (!value) return "A few ordinary words strung together make a strong passphrase that is easy to remember.";
    if (COMMON.indexOf(value.toLowerCase().replace(/ /g, "")) !== -1) return "That one is among the first guesses anyone would try. Try a few words only you would put together.";
    if (value.length < 8) return "A little longer, please: at least 8 characters. Several plain words are easier to remember than symbols.";
    if (value.length < 14 && words < 3) return "This works. Adding another word or two makes it much harder to guess.";
    return "Good: long passphrases are the hardest to guess. Keep it somewhere only you can find.";
  }

  document.querySelectorAll(".strength-hint[data-for]").forEach(function (out) {
    var input = document.getElementById(out.getAttribute("data-for"));
    if (!input) return;
    var update = function () { out.textContent = hint(input.value); };
    input.addEventListener("input", update);
    update();
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  var wait = document.querySelector("[data-wait]");
  if (wait) {
    var left = parseInt(wait.getAttribute("data-wait"), 10) || 0;
    var counter = wait.querySelector("[data-wait-seconds]");
    var buttons = document.querySelectorAll("[data-wait-button]");
    var setDisabled = function (on) { buttons.forEach(function (b) { b.disabled = on; }); };
    setDisabled(true);
    var timer = setInterval(function () {
      left -= 1;
      if (left <= 0) {
        clearInterval(timer);
        setDisabled(false);
        wait.textContent = "You can try again now.";
        return;
      }
      counter.textContent = String(left);
    }, 1000);
  }
})();
