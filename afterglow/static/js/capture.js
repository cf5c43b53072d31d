// Quick capture: save each answer the moment it changes, so stopping half-way loses nothing.
// Without this file the page is a plain form and every button saves too.
(function () {
  "use strict";

  var form = document.getElementById("capture-form");
  var status = document.getElementById("capture-status");
  if (!form || !status || !window.fetch || !window.FormData) return;

  var TYPING_PAUSE_MS = 1200;
  var timer = null;
  var inFlight = null;
  var again = false;
  var lastSent = null;

  function show(text, isError) {
    status.textContent = text;
    status.classList.toggle("is-error", !!isError);
  }

  function body() {
    // The form as it stands, without the navigation button a submit would add.
    return new FormData(form);
  }

  function fingerprint(data) {
    var parts = [];
    data.forEach(function (value, key) { parts.push(key + "=" + value); });
    return parts.join("&");
  }

  function save() {
    clearTimeout(timer);
    if (inFlight) { again = true; return inFlight; }
    var data = body();
    var print = fingerprint(data);
    if (print === lastSent) return Promise.resolve();
    show("Saving…");
    inFlight = fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
    })
      .then(function (response) {
        var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!isJson) throw new Error("not saved");
        return response.json().then(function (answer) {
          if (response.ok && answer.ok) {
            lastSent = print;
            show(answer.saved_label || "Saved");
            if (answer.advice) showAdvice(answer.advice);
          } else {
            show(answer.message || "Not saved — please try again.", true);
          }
        });
      })
      .catch(function () {
        if (keepOnPhone(data)) return;
        show("Not saved yet — the answer is still here; press Next to save it.", true);
      })
      .then(function () {
        inFlight = null;
        if (again) { again = false; save(); }
      });
    return inFlight;
  }

  // --- On a phone, the journal out of reach (or locked): keep this step's answer in the phone's outbox
  // (outbox.js), as this session's answer to this step, sent when the computer can be reached again.
  function keepOnPhone(data) {
    var outbox = window.AfterglowOutbox;
    var session = form.getAttribute("data-session"), step = form.getAttribute("data-step");
    if (!outbox || location.protocol !== "https:" || !session || !step) return false;
    var answers = {};
    data.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "go" || typeof value !== "string") return;
      if (name in answers) answers[name] = [].concat(answers[name], value);
      else answers[name] = name === "emotion" ? [value] : value;
    });
    outbox.keep("capture", { session: session, step: step, answers: answers }, null, "capture:" + session + ":" + step)
      .then(function () {
        show("Kept on this phone — it goes to this session's capture when the computer can be reached.");
      }, function () { show("Not saved yet — the answer is still here; press Next to save it.", true); });
    return true;
  }

  // --- Side effects as chips: a tap marks one, the next tap makes it stronger, then off ----------------

  var chips = form.querySelector("[data-chips]");

  // Advice under the chips comes from the server's rule (the answer to each save), so it lives in one place.
  function showAdvice(notes) {
    var list = form.querySelector("[data-advice]");
    if (!list) return;
    list.textContent = "";
    notes.forEach(function (note) {
      var p = document.createElement("p");
      p.className = "capture-clinician capture-advice capture-advice-" + note.kind;
      p.setAttribute("role", "note");
      p.textContent = note.labels.join(", ") + ": " + note.text;
      list.appendChild(p);
    });
  }

  function chipInput(key) {
    var input = chips.querySelector('[data-chip-input="' + key + '"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = chips.getAttribute("data-list") + "-" + key;
      input.setAttribute("data-chip-input", key);
      chips.insertBefore(input, chips.firstChild);
    }
    return input;
  }

  function showChip(button, level, words) {
    var label = button.getAttribute("data-label");
    button.setAttribute("data-level", String(level));
    button.className = "chip" + (level ? " is-on chip-level-" + level : "");
    button.textContent = level ? label + ", " + words[level].toLowerCase() : label;
    var item = button.parentNode;
    var list = chips.querySelector('[data-chip-list="' + (level ? "marked" : "unmarked") + '"]');
    if (item.parentNode !== list) list.appendChild(item);
    chips.querySelector("[data-chips-none]").hidden = !!chips.querySelector('[data-chip-list="marked"] li');
  }

  function tapChip(event) {
    var button = chips && event.target.closest ? event.target.closest("[data-chip]") : null;
    if (!button) return;
    event.preventDefault();
    var key = button.getAttribute("data-chip");
    var words = chips.getAttribute("data-levels").split("|");
    var level = (parseInt(button.getAttribute("data-level"), 10) || 0) + 1;
    if (level >= words.length) level = 0;
    var input = chipInput(key);
    if (level) input.value = String(level);
    else input.remove();
    showChip(button, level, words);
    button.focus();
    save();
  }

  form.addEventListener("click", tapChip);
  form.addEventListener("change", save);
  form.addEventListener("input", function (event) {
    if (event.target && (event.target.type === "text" || event.target.tagName === "TEXTAREA")) {
      clearTimeout(timer);
      timer = setTimeout(save, TYPING_PAUSE_MS);
    }
  });
  // Leaving the page half-way (closing the tab, switching apps): send what is there.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && timer) save();
  });

  // --- Voice: a transcript is added to the answer it was recorded for, marked machine-made ------------

  var lastText = null;
  form.addEventListener("focusin", function (event) {
    if (event.target && event.target.hasAttribute && event.target.hasAttribute("data-voice-target")) {
      lastText = event.target;
      form.setAttribute("data-voice-box", lastText.name); // recorder.js sends it with the recording
    }
  });

  function machineMark(name, on) {
    var input = form.querySelector('[data-machine-input="' + name + '"]');
    var badge = form.querySelector('[data-machine-badge="' + name + '"]');
    if (on && !input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "machine_made";
      input.value = name;
      input.setAttribute("data-machine-input", name);
      form.insertBefore(input, form.firstChild);
    } else if (!on && input) {
      input.remove();
    }
    if (badge) badge.hidden = !on;
  }

  // The recorder's transcript, when it is ready: added after what was typed, never instead of it.
  form.addEventListener("afterglow:transcript", function (event) {
    var text = (event.detail && event.detail.text || "").trim();
    if (!text) return;
    // The answer named when the recording was made: the server adds the same words there too, so the
    // page's next save (this box, with them once) and the server's agree.
    var named = event.detail.answer ? form.elements[event.detail.answer] : null;
    var box = (named && named.hasAttribute && named.hasAttribute("data-voice-target") ? named : null) ||
      lastText || document.getElementById(event.detail.target || "");
    if (!box) return;
    var typed = box.value.replace(/\s+$/, "");
    box.value = typed ? typed + (box.tagName === "TEXTAREA" ? "\n" : " ") + text : text;
    machineMark(box.name, true);
    save();
  });

  // The person's own edit makes the answer theirs again.
  form.addEventListener("input", function (event) {
    var box = event.target;
    if (event.isTrusted && box && box.hasAttribute && box.hasAttribute("data-voice-target")) machineMark(box.name, false);
  });

  // Done while a recording runs: stop it first, so the voice note is kept; then go on as asked.
  // Next or Done with no network: the page cannot be sent, so keep the answer on the phone and stay.
  form.addEventListener("submit", function (event) {
    if (navigator.onLine !== false || !window.AfterglowOutbox || location.protocol !== "https:") return;
    event.preventDefault();
    keepOnPhone(body());
  });

  form.addEventListener("submit", function (event) {
    var running = form.querySelector('[data-rec-toggle][aria-pressed="true"]');
    if (!running || form.getAttribute("data-sending") === "1") return;
    event.preventDefault();
    var button = event.submitter;
    running.click();
    var go = function () {
      form.setAttribute("data-sending", "1");
      if (button && form.requestSubmit) form.requestSubmit(button);
      else form.submit();
    };
    // The recording is kept in this browser once stopped; waiting a little lets it reach the journal now.
    var waited = setTimeout(go, 8000);
    form.addEventListener("afterglow:voice-stored", function () { clearTimeout(waited); go(); }, { once: true });
  });

  // Exit in the header: save what is on the page first, then leave.
  var exit = document.querySelector("[data-capture-exit]");
  if (exit) {
    exit.addEventListener("click", function (event) {
      event.preventDefault();
      Promise.resolve(save()).then(function () { window.location.assign(exit.href); });
    });
  }

  // Leaving the page (Get help, another app): send what was typed but not yet saved.
  window.addEventListener("pagehide", function () {
    if (timer) save();
  });

  lastSent = fingerprint(body());
})();
