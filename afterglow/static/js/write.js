// The writing page: autosave, bringing back unsaved drafts, spell-check toggle, a gentle timer.
// Without this file the page is a plain form with Save buttons.
(function () {
  "use strict";

  var Drafts = window.AfterglowDrafts;
  var form = document.getElementById("write-form");
  var textarea = document.getElementById("entry-text");
  var status = document.getElementById("save-status");
  if (!Drafts || !form || !textarea || !status || !window.fetch || !window.URLSearchParams) return;

  var SAVE_EVERY_MS = 3000;
  var LOCAL = "Not saved yet — kept on this device";
  var NOWHERE = "Not saved yet — keep this page open, saving again shortly";

  var uidInput = document.getElementById("entry-uid");
  var sessionInput = document.getElementById("entry-session");
  var promptInput = document.getElementById("entry-prompt");
  var editingInput = document.getElementById("entry-editing");
  var privateBox = document.getElementById("entry-private");
  var restored = document.getElementById("write-restored");
  var url = form.getAttribute("data-autosave-url");
  var csrf = form.elements.csrfmiddlewaretoken.value;
  var maxChars = parseInt(form.getAttribute("data-max-chars"), 10) || Infinity;
  var existing = form.getAttribute("data-existing") === "1";
  var serverSavedAt = parseInt(form.getAttribute("data-saved-at") || "0", 10) * 1000;

  var dirty = false;
  var inFlight = false;

  function draft() {
    return {
      uid: uidInput.value,
      text: textarea.value,
      session: sessionInput.value,
      prompt: promptInput.value,
      private: privateBox ? privateBox.checked : false,
      editing: editingInput ? editingInput.value : "",
      changedAt: Date.now(),
    };
  }

  function show(text, kind) {
    status.textContent = text;
    status.classList.toggle("is-local", kind === "local");
    status.classList.toggle("is-error", kind === "error");
  }

  function codePoints(text) {
    return text.length <= maxChars ? text.length : Array.from(text).length;
  }

  // Why this text cannot go to the server as it is; "" when it can.
  function problem(text) {
    if (!text.trim()) return existing ? "An empty page is not saved — the last version is kept." : "";
    if (codePoints(text) > maxChars) return "This is too long to save in one piece. Please split it into two entries — it is kept on this device meanwhile.";
    return "";
  }

  function save(options) {
    var current = draft();
    if (!current.text.trim() && !existing) {
      dirty = false;
      return Promise.resolve(null);
    }
    var trouble = problem(current.text);
    if (trouble) {
      dirty = false; // wait for the next change rather than retrying the same refusal
      show(trouble, "error");
      return Promise.resolve(null);
    }
    inFlight = true;
    dirty = false;
    return Drafts.push(url, current, csrf, options).then(function (result) {
      inFlight = false;
      if (result.ok) {
        existing = true;
        show(result.data.saved_label, "saved");
      } else if (result.status === 400 || result.status === 404 || result.status === 413) {
        show(result.message || LOCAL, "error");
      } else {
        dirty = true; // offline, locked or restarting: try again on the next tick
        show(result.message || (Drafts.available ? LOCAL : NOWHERE), "local");
      }
      return result;
    });
  }

  function changed() {
    dirty = true;
    var kept = Drafts.keep(draft());
    if (!kept && status.classList.contains("is-local")) show(NOWHERE, "local");
  }

  // --- Bringing back what was not saved --------------------------------------------------------

  function sameContext(d) {
    return (d.session || "") === sessionInput.value && (d.prompt || "") === promptInput.value;
  }

  function time(ms) {
    var d = new Date(ms);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  function notice(text, button) {
    restored.textContent = text;
    if (button) {
      restored.appendChild(document.createTextNode(" "));
      restored.appendChild(button);
    }
    restored.hidden = false;
  }

  // Keep the brought-back text as its own entry, then open a fresh page.
  function startFresh() {
    save().then(function (result) {
      if (!result || !result.ok) {
        notice("It could not be saved just now, so it stays here. Try again in a moment.");
        return;
      }
      var query = new URLSearchParams({ "new": "1" });
      if (sessionInput.value) query.set("session", sessionInput.value);
      if (promptInput.value) query.set("prompt", promptInput.value);
      window.location.assign(form.getAttribute("action") + "?" + query.toString());
    });
  }

  function bringBack(d, adopted) {
    if (adopted) {
      uidInput.value = d.uid;
      if (privateBox) privateBox.checked = !!d.private;
    }
    textarea.value = d.text;
    dirty = true;
    show(LOCAL, "local");
    var button = null;
    if (adopted) {
      button = document.createElement("button");
      button.type = "button";
      button.textContent = "Start a new entry instead";
      button.addEventListener("click", startFresh);
    }
    notice("Brought back what you were writing at " + time(d.changedAt) + ". It had not reached your journal yet; it is being saved now.", button);
  }

  function restore() {
    var drafts = Drafts.all();
    var mine = drafts.filter(function (d) { return d.uid === uidInput.value; })[0];
    if (mine && existing && mine.text === textarea.value) {
      Drafts.forget(mine.uid); // the server just showed us exactly this text: it has it
    } else if (mine && mine.text !== textarea.value && (!existing || mine.changedAt > serverSavedAt)) {
      bringBack(mine, false);
    } else if (!mine && !existing && !textarea.value) {
      var earlier = drafts.filter(sameContext)[0];
      if (earlier) bringBack(earlier, true);
    }
    pushOthers(drafts.filter(function (d) { return d.uid !== uidInput.value; }));
  }

  // Drafts of other entries (another prompt, an earlier page): save them as they are, quietly.
  function pushOthers(others) {
    var savedCount = 0;
    others.reduce(function (chain, d) {
      return chain.then(function () {
        if (!d.text.trim()) { Drafts.forget(d.uid); return null; }
        return Drafts.push(url, d, csrf).then(function (result) { if (result.ok) savedCount += 1; });
      });
    }, Promise.resolve()).then(function () {
      if (!savedCount) return;
      var words = savedCount === 1 ? "one earlier piece of writing" : savedCount + " earlier pieces of writing";
      var link = document.createElement("a");
      link.href = form.getAttribute("data-timeline-url");
      link.textContent = "See it on your timeline";
      var line = document.createElement("p");
      line.textContent = "Also saved " + words + " that had not reached your journal. ";
      line.appendChild(link);
      restored.appendChild(line);
      restored.hidden = false;
    });
  }

  // --- Spell-check and the timer ------------------------------------------------------------------

  function setUpSpellcheck() {
    var toggle = document.getElementById("spellcheck-toggle");
    if (!toggle) return;
    var on = Drafts.pref("spellcheck") === "on";
    toggle.checked = on;
    textarea.spellcheck = on;
    toggle.addEventListener("change", function () {
      textarea.spellcheck = toggle.checked;
      Drafts.pref("spellcheck", toggle.checked ? "on" : "off");
    });
  }

  function setUpTimer() {
    var select = document.getElementById("timer-minutes");
    var line = document.getElementById("timer-progress");
    var note = document.getElementById("timer-note");
    if (!select || !line || !note) return;
    var ticker = null;
    select.addEventListener("change", function () {
      clearInterval(ticker);
      line.classList.remove("is-done");
      note.textContent = "";
      var minutes = parseInt(select.value, 10);
      line.hidden = !minutes;
      if (!minutes) return;
      var started = Date.now();
      var total = minutes * 60000;
      line.max = total;
      line.value = 0;
      ticker = setInterval(function () {
        var elapsed = Math.min(Date.now() - started, total);
        line.value = elapsed;
        if (elapsed >= total) {
          clearInterval(ticker);
          line.classList.add("is-done");
          note.textContent = minutes + " minutes have passed. Stop here, or keep going if the words are still coming.";
        }
      }, 5000);
    });
  }

  // --- Wiring ----------------------------------------------------------------------------------------

  // A new page gets its uid here, before the first keystroke; a page shown again after an error keeps its own.
  if (!existing && !textarea.value) uidInput.value = Drafts.newUid();

  Array.prototype.forEach.call(form.querySelectorAll(".write-js"), function (el) { el.hidden = false; });
  setUpSpellcheck();
  setUpTimer();
  restore();
  if (textarea.value && !existing) changed(); // text shown again after a refused save: keep it locally too
  if (dirty) save(); // brought-back text goes to the server at once, not on the next tick

  textarea.addEventListener("input", changed);
  if (privateBox) privateBox.addEventListener("change", function () { changed(); save(); });

  setInterval(function () {
    if (dirty && !inFlight) save();
  }, SAVE_EVERY_MS);

  window.addEventListener("online", function () {
    if (dirty && !inFlight) save();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty) save({ keepalive: true });
  });
  window.addEventListener("pagehide", function () {
    if (!dirty && !inFlight) return;
    var current = draft();
    Drafts.keep(current);
    if (current.text.trim() && !problem(current.text)) Drafts.beacon(url, current, csrf);
  });

  // Save buttons: save through autosave first so the local copy can be settled, then send the form as usual.
  form.addEventListener("submit", function (event) {
    if (form.getAttribute("data-sending") === "1") return;
    event.preventDefault();
    var button = event.submitter;
    save().then(function (result) {
      if (result && result.status === 401) {
        // Locked meanwhile: a posted form would only meet a locked door. The words are kept on
        // this device; unlocking comes back to this page, which brings them back and saves them.
        Drafts.keep(draft());
        window.location.assign(form.getAttribute("data-unlock-url") + "?next=" + encodeURIComponent(window.location.pathname + window.location.search));
        return;
      }
      form.setAttribute("data-sending", "1");
      if (button && button.name) {
        var carry = document.createElement("input");
        carry.type = "hidden";
        carry.name = button.name;
        carry.value = button.value;
        form.appendChild(carry);
      }
      form.submit();
    });
  });
})();
