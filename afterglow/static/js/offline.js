// The offline page: notes, check-ins and voice notes go into the phone's outbox (outbox.js).
(function () {
  "use strict";
  const outbox = window.AfterglowOutbox;
  const said = document.querySelector("[data-offline-kept]");
  if (!outbox) return;

  function kept(message) { if (said) said.textContent = message; }

  document.querySelectorAll("form[data-offline]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.reportValidity()) return;
      const fields = {};
      new FormData(form).forEach(function (value, name) { fields[name] = String(value); });
      outbox.keep(form.getAttribute("data-offline"), fields).then(function () {
        form.reset();
        kept("Kept on this phone. It will be sent when the journal can be reached.");
      }, function () { kept("This phone could not keep it; please copy your words somewhere safe."); });
    });
  });

  const box = document.querySelector("[data-offline-voice]");
  if (!box || !window.MediaRecorder || !navigator.mediaDevices) return;
  box.hidden = false;
  const start = box.querySelector("[data-voice-start]"), stop = box.querySelector("[data-voice-stop]");
  const state = box.querySelector("[data-voice-state]");
  let recorder = null, pieces = [];
  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      pieces = [];
      recorder = new MediaRecorder(stream);
      recorder.addEventListener("dataavailable", function (e) { if (e.data.size) pieces.push(e.data); });
      recorder.addEventListener("stop", function () {
        stream.getTracks().forEach(function (t) { t.stop(); });
        const blob = new Blob(pieces, { type: recorder.mimeType || "audio/webm" });
        outbox.keep("voice", {}, blob).then(function () { state.textContent = "Voice note kept on this phone."; });
      });
      recorder.start(1000);
      start.disabled = true; stop.disabled = false;
      state.textContent = "Recording…";
    }, function () { state.textContent = "The microphone is not available here."; });
  });
  stop.addEventListener("click", function () {
    if (recorder && recorder.state !== "inactive") recorder.stop();
    start.disabled = false; stop.disabled = true;
  });
})();
