// Afterglow's service worker (scope /): makes the app installable and, when the computer is out of
// reach, opens a quiet offline page instead of the browser's error. Journal pages are never cached:
// only the offline page and the files it needs are kept on the phone.
"use strict";
const SHELL = "afterglow-shell-v1";
const KEEP = ["/offline", "/static/css/app.css", "/static/css/phones.css", "/static/js/outbox.js",
  "/static/js/offline.js", "/static/img/icon.svg"];

self.addEventListener("install", function (event) {
  // redirect "error": a device that is not paired (sent to /pair) keeps nothing.
  const requests = KEEP.map(function (path) { return new Request(path, { redirect: "error", credentials: "same-origin" }); });
  event.waitUntil(caches.open(SHELL).then(function (c) { return c.addAll(requests); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== SHELL; }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () { return caches.match("/offline"); }));
    return;
  }
  if (KEEP.indexOf(url.pathname) !== -1) {
    // Fresh when reachable (and kept up to date); the kept copy when not.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        const copy = response.clone();
        caches.open(SHELL).then(function (c) { c.put(url.pathname, copy); });
      }
      return response;
    }).catch(function () { return caches.match(url.pathname); }));
  }
});
