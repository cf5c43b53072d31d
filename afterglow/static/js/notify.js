// Reminders as browser notifications while an Afterglow page is open. Off until this browser is
// switched on from Settings; the permission is asked only when that button is pressed. Each
// reminder shows once, whichever tab is open (localStorage remembers which were shown).
(function () {
  "use strict";
  var FLAG = "afterglow-notify";
  var SHOWN = "afterglow-notified";
  var REFRESH_MS = 10 * 60 * 1000;
  var timers = [];
  var supported = "Notification" in window && "localStorage" in window;
  // Addresses come from this script's own tag in base.html, rendered from URL names.
  var script = document.currentScript;
  if (!script) return;
  var TODAY_URL = script.getAttribute("data-today-url");
  var ICON = script.getAttribute("data-icon");

  function wanted() {
    return supported && localStorage.getItem(FLAG) === "on" && Notification.permission === "granted";
  }

  function shownKeys() {
    try { return JSON.parse(localStorage.getItem(SHOWN) || "[]"); } catch (e) { return []; }
  }

  function markShown(key) {
    var keys = shownKeys().filter(function (k) { return k !== key; });
    keys.push(key);
    localStorage.setItem(SHOWN, JSON.stringify(keys.slice(-50)));
  }

  function show(item) {
    if (!wanted() || shownKeys().indexOf(item.key) !== -1) return;
    markShown(item.key);
    // No body and no journal words: a notification can be read over a shoulder.
    var note = new Notification(item.text, { tag: item.key, silent: true, icon: ICON });
    note.addEventListener("click", function () { window.focus(); note.close(); });
  }

  function plan(items) {
    timers.forEach(clearTimeout);
    timers = [];
    items.forEach(function (item) {
      var wait = new Date(item.at).getTime() - Date.now();
      if (wait >= 0 && wait < REFRESH_MS * 2) timers.push(setTimeout(function () { show(item); }, wait));
    });
    script.setAttribute("data-planned", String(timers.length)); // how many are waiting (read by the browser tests)
  }

  function refresh() {
    if (!wanted()) return;
    fetch(TODAY_URL, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { reminders: [] }; })
      .then(function (data) { plan(data.reminders || []); })
      .catch(function () { /* locked or stopped: try again at the next refresh */ });
  }

  function controls() {
    var box = document.querySelector("[data-notify-controls]");
    if (!box) return;
    var status = box.querySelector("[data-notify-status]");
    function say() {
      if (!supported) status.textContent = "This browser cannot show notifications.";
      else if (Notification.permission === "denied") status.textContent = "This browser was told not to allow notifications from Afterglow; that can be changed in the browser's site settings.";
      else status.textContent = wanted() ? "Notifications are on in this browser." : "Notifications are off in this browser.";
    }
    box.hidden = false;
    box.querySelector("[data-notify-on]").addEventListener("click", function () {
      if (!supported) { say(); return; }
      localStorage.setItem(FLAG, "on");
      Promise.resolve(Notification.requestPermission()).then(function () { say(); refresh(); });
    });
    box.querySelector("[data-notify-off]").addEventListener("click", function () {
      if (supported) localStorage.removeItem(FLAG);
      plan([]);
      say();
    });
    say();
  }

  controls();
  refresh();
  setInterval(refresh, REFRESH_MS);
})();
