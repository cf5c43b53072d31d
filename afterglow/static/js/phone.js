// On a phone over the home network: install the service worker (offline page, outbox), and fold
// the header's navigation into one Menu button on narrow screens.
(function () {
  "use strict";
  const pairing = location.pathname === "/pair" || location.pathname.indexOf("/pair/") === 0;
  if ("serviceWorker" in navigator && location.protocol === "https:" && window.isSecureContext && !pairing) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* no offline page then */ });
  }
  const header = document.querySelector(".site-header");
  const toggle = document.querySelector("[data-menu-toggle]");
  const nav = document.getElementById("site-nav");
  if (!header || !toggle || !nav) return;
  header.classList.add("has-menu");
  // The header's own links (Privacy) have no room in the phone's one row: the menu holds a copy.
  header.querySelectorAll(".header-tools a.button-quiet").forEach(function (link) {
    const copy = link.cloneNode(true);
    copy.className = "menu-only";
    nav.append(copy);
  });
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    header.classList.toggle("menu-open", open);
  });
})();
