// Every open page covers the journal the moment it locks, without waiting for a click:
// Lock pressed in another tab (BroadcastChannel), the idle lock falling due (the server
// says how many seconds are left), or a cheap status check every 20 seconds. The page
// itself stays underneath, drafts included, and shows again once this browser is unlocked.
(function () {
  "use strict";

  var cover = document.getElementById("lock-cover");
  var main = document.getElementById("main");
  if (!cover || !main || !window.fetch) return;

  var POLL_MS = 20000;
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("afterglow-vault") : null;
  var deadline = null;
  var idleTimer = null;
  var locked = false;

  function hide() {
    if (locked) return;
    locked = true;
    var link = cover.querySelector("[data-unlock-link]");
    if (link) link.href = link.pathname + "?next=" + encodeURIComponent(location.pathname + location.search);
    document.documentElement.classList.add("vault-locked");
    main.inert = true;
    main.setAttribute("aria-hidden", "true");
    cover.hidden = false;
  }

  function show() {
    if (!locked) return;
    locked = false;
    cover.hidden = true;
    main.inert = false;
    main.removeAttribute("aria-hidden");
    document.documentElement.classList.remove("vault-locked");
  }

  function schedule(seconds) {
    clearTimeout(idleTimer);
    if (typeof seconds !== "number") { deadline = null; return; }
    deadline = Date.now() + seconds * 1000;
    idleTimer = setTimeout(check, seconds * 1000 + 1000);
  }

  function check() {
    return fetch(cover.getAttribute("data-status-url"), { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (state) {
        if (state.open) { show(); schedule(state.idle_left); } else { hide(); }
      })
      .catch(function () {
        // No answer (server stopped, network down) is not a lock; past the idle deadline it is one.
        if (deadline !== null && Date.now() >= deadline) hide();
      });
  }

  if (channel) {
    channel.onmessage = function (event) {
      if (event.data === "locked") hide();
      else if (event.data === "open") check();
    };
    document.querySelectorAll('form[action="' + cover.getAttribute("data-lock-url") + '"]').forEach(function (form) {
      form.addEventListener("submit", function () { channel.postMessage("locked"); });
    });
    // This page loaded with the journal open: covered tabs may look again.
    channel.postMessage("open");
  }
  document.addEventListener("visibilitychange", function () { if (!document.hidden) check(); });
  setInterval(check, POLL_MS);
  check();
})();
