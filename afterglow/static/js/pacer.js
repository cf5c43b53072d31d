// The breathing pacer's words and optional tone, in step with its CSS animation (4 s in, 6 s out).
// Without this file the circle still moves and the written description says the same thing.
(function () {
  "use strict";
  var pacer = document.querySelector("[data-pacer]");
  var controls = document.querySelector("[data-pacer-controls]");
  if (!pacer || !controls) return;
  var cue = pacer.querySelector("[data-pacer-cue]");
  var circle = pacer.querySelector(".pacer-circle");
  var toggle = controls.querySelector("[data-pacer-toggle]");
  var sound = controls.querySelector("[data-pacer-sound]");
  var IN_MS = 4000;
  var OUT_MS = 6000;
  var timer = null;
  var audio = null;

  function tone(pitch) {
    if (!sound.checked) return;
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    audio = audio || new Context();
    var osc = audio.createOscillator();
    var gain = audio.createGain();
    osc.type = "sine";
    osc.frequency.value = pitch;
    gain.gain.setValueAtTime(0.0001, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.08, audio.currentTime + 0.15);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 1.2);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 1.3);
  }

  function breatheIn() {
    cue.textContent = "Breathe in";
    tone(330);
    timer = setTimeout(breatheOut, IN_MS);
  }

  function breatheOut() {
    cue.textContent = "Breathe out";
    tone(220);
    timer = setTimeout(breatheIn, OUT_MS);
  }

  function restartAnimation() {
    circle.style.animation = "none";
    void circle.offsetWidth; // let the browser see the change so the cycle starts from "in"
    circle.style.animation = "";
  }

  function start() {
    restartAnimation();
    pacer.classList.remove("is-paused");
    toggle.textContent = "Pause";
    toggle.setAttribute("aria-pressed", "true");
    breatheIn();
  }

  function stop() {
    clearTimeout(timer);
    timer = null;
    pacer.classList.add("is-paused");
    toggle.textContent = "Start";
    toggle.setAttribute("aria-pressed", "false");
    cue.textContent = "Paused. Start again whenever you like.";
  }

  controls.hidden = false;
  pacer.classList.add("is-paused");
  cue.textContent = "Press Start, then follow the circle.";
  toggle.addEventListener("click", function () { if (timer) stop(); else start(); });
})();
