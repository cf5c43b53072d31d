// A voice note's page: while the transcript is being made, show its progress and the words made out so far;
// when it is ready (or failed), reload so the transcript editor or the retry button appears.
(function () {
  "use strict";

  var POLL_MS = 1000;
  var root = document.querySelector("[data-voice-note]");
  if (!root) return;
  var status = root.getAttribute("data-status");
  if (status !== "queued" && status !== "running") return;

  var bar = root.querySelector("[data-voice-progress]");
  var percent = root.querySelector("[data-voice-percent]");
  var label = root.querySelector("[data-voice-label]");
  var partial = root.querySelector("[data-voice-partial]");

  function poll() {
    fetch(root.getAttribute("data-status-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        var isJson = (r.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        return r.ok && isJson ? r.json() : null;
      })
      .then(function (s) {
        if (!s) return setTimeout(poll, POLL_MS * 3);
        if (s.finished) return window.location.reload();
        bar.value = s.progress;
        percent.textContent = s.progress;
        label.textContent = s.label + "…";
        if (partial && s.partial && partial.textContent !== s.partial) partial.textContent = s.partial;
        setTimeout(poll, POLL_MS);
      }, function () { setTimeout(poll, POLL_MS * 3); });
  }
  setTimeout(poll, POLL_MS);
})();
