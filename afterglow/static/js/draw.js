// The drawing page: pointer drawing (mouse, touch, pen; pressure widens the line), colours,
// brush sizes, eraser, undo/redo, clear, and autosave of the PNG plus the strokes.
//
// Nothing drawn is lost: every change is kept in this browser (drafts.js) until the
// server has saved exactly that version; a locked journal, a stopped server or a closed
// tab only delays the save. Reopening the page brings the strokes back, editable.
(function () {
  "use strict";

  var root = document.getElementById("draw");
  var canvas = document.getElementById("draw-canvas");
  var status = document.getElementById("draw-status");
  var initial = document.getElementById("draw-strokes");
  var Store = window.AfterglowStore;
  if (!root || !canvas || !canvas.getContext || !window.fetch || !window.FormData || !initial || !Store) return;

  var SAVE_AFTER_MS = 1200;
  var RETRY_MS = 5000;
  var LOCAL = "Not saved yet — kept on this device";
  var NOWHERE = "Not saved yet — keep this page open, saving again shortly";
  var LOCKED = document.documentElement.hasAttribute("data-signs-in")  // a clinic: signed out, not locked
    ? "You were signed out. Your drawing is kept on this device; sign in and open this page again to save it."
    : "The journal is locked. Your drawing is kept on this device; unlock and open this page again to save it.";

  var ctx = canvas.getContext("2d");
  var paper = root.getAttribute("data-paper");
  var url = root.getAttribute("data-save-url");
  var csrf = root.querySelector("[name=csrfmiddlewaretoken]").value;
  var uid = root.getAttribute("data-uid");
  var place = { session: root.getAttribute("data-session") || "", entry: root.getAttribute("data-entry") || "" };
  var existing = root.getAttribute("data-existing") === "1";
  var serverSavedAt = parseInt(root.getAttribute("data-saved-at") || "0", 10) * 1000;
  var restored = document.getElementById("draw-restored");
  var buttons = {
    undo: document.getElementById("draw-undo"),
    redo: document.getElementById("draw-redo"),
    clear: document.getElementById("draw-clear"),
    eraser: document.getElementById("draw-eraser"),
  };

  var strokes = [];
  var undone = [];   // what Redo brings back
  var history = [];  // what Undo takes back: {add: stroke} or {clear: [strokes]}
  var tool = { colour: "", width: 10, eraser: false };
  var active = null; // the stroke being drawn: {id, stroke}
  var rev = 0;       // bumped on every change; the server's answer names the one it saved
  var savedRev = 0;
  var timer = null;
  var inFlight = false;

  // --- Storage of the unsaved version -----------------------------------------------------------

  var local = Store.store("afterglow:drawing:", function (d) { return Array.isArray(d.strokes); });

  function keepLocal() {
    return local.keep({
      uid: uid, session: place.session, entry: place.entry, existing: existing,
      strokes: strokes, rev: rev, changedAt: Date.now(),
    });
  }

  // --- Painting ------------------------------------------------------------------------------------

  // Pressure 0.5 (a mouse, or a pen pressed normally) draws the brush's own width.
  function widthAt(stroke, pressure) {
    return Math.max(0.5, stroke.w * (0.35 + 1.3 * pressure));
  }

  function paint(stroke, from) {
    var p = stroke.p;
    ctx.strokeStyle = ctx.fillStyle = stroke.e ? paper : stroke.c;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    if (p.length === 1) {
      ctx.beginPath();
      ctx.arc(p[0][0], p[0][1], widthAt(stroke, p[0][2]) / 2, 0, Math.PI * 2);
      ctx.fill();
      return;
    }
    for (var i = Math.max(1, from || 1); i < p.length; i++) {
      ctx.beginPath();
      ctx.lineWidth = widthAt(stroke, (p[i - 1][2] + p[i][2]) / 2);
      ctx.moveTo(p[i - 1][0], p[i - 1][1]);
      ctx.lineTo(p[i][0], p[i][1]);
      ctx.stroke();
    }
  }

  function redraw() {
    ctx.fillStyle = paper;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    strokes.forEach(function (s) { paint(s, 1); });
  }

  function point(event) {
    var box = canvas.getBoundingClientRect();
    var x = (event.clientX - box.left) * (canvas.width / box.width);
    var y = (event.clientY - box.top) * (canvas.height / box.height);
    var pressure = event.pointerType === "mouse" || !event.pressure ? 0.5 : event.pressure;
    return [round(x), round(y), round(pressure)];
  }

  function round(v) {
    return Math.round(v * 100) / 100;
  }

  canvas.addEventListener("pointerdown", function (event) {
    if (active || (event.pointerType === "mouse" && event.button !== 0)) return;
    event.preventDefault();
    try { canvas.setPointerCapture(event.pointerId); } catch (e) { /* the stroke still works without it */ }
    var stroke = { c: tool.eraser ? paper : tool.colour, w: tool.width, e: tool.eraser, p: [point(event)] };
    active = { id: event.pointerId, stroke: stroke };
    paint(stroke);
  });

  canvas.addEventListener("pointermove", function (event) {
    if (!active || event.pointerId !== active.id) return;
    event.preventDefault();
    var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    if (!events.length) events = [event];
    var p = active.stroke.p;
    var from = p.length;
    events.forEach(function (e) {
      var next = point(e);
      var last = p[p.length - 1];
      if (next[0] !== last[0] || next[1] !== last[1]) p.push(next);
    });
    if (p.length > from) paint(active.stroke, from);
  });

  function finish(event) {
    if (!active || event.pointerId !== active.id) return;
    var stroke = active.stroke;
    active = null;
    strokes.push(stroke);
    history.push({ add: stroke });
    undone = [];
    changed();
  }
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);

  // --- Tools ------------------------------------------------------------------------------------------

  function press(group, chosen) {
    Array.prototype.forEach.call(group, function (b) { b.setAttribute("aria-pressed", b === chosen ? "true" : "false"); });
  }

  var swatches = root.querySelectorAll(".swatch");
  var sizes = root.querySelectorAll(".size");
  Array.prototype.forEach.call(swatches, function (b) {
    b.style.backgroundColor = b.getAttribute("data-colour");
    if (b.getAttribute("aria-pressed") === "true") tool.colour = b.getAttribute("data-colour");
    b.addEventListener("click", function () {
      tool.colour = b.getAttribute("data-colour");
      press(swatches, b);
      setEraser(false);
    });
  });
  Array.prototype.forEach.call(sizes, function (b) {
    if (b.getAttribute("aria-pressed") === "true") tool.width = parseFloat(b.getAttribute("data-width"));
    b.addEventListener("click", function () {
      tool.width = parseFloat(b.getAttribute("data-width"));
      press(sizes, b);
    });
  });

  function setEraser(on) {
    tool.eraser = on;
    buttons.eraser.setAttribute("aria-pressed", on ? "true" : "false");
    canvas.classList.toggle("is-erasing", on);
  }
  buttons.eraser.addEventListener("click", function () { setEraser(!tool.eraser); });

  function undo() {
    var step = history.pop();
    if (!step) return;
    if (step.add) strokes.pop();
    else strokes = step.clear;
    undone.push(step);
    redraw();
    changed();
  }

  function redo() {
    var step = undone.pop();
    if (!step) return;
    if (step.add) strokes.push(step.add);
    else { step.clear = strokes; strokes = []; }
    history.push(step);
    redraw();
    changed();
  }

  function clear() {
    if (!strokes.length) return;
    history.push({ clear: strokes });
    undone = [];
    strokes = [];
    redraw();
    changed();
  }

  buttons.undo.addEventListener("click", undo);
  buttons.redo.addEventListener("click", redo);
  buttons.clear.addEventListener("click", clear);
  document.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    var key = event.key.toLowerCase();
    if (key === "z" && !event.shiftKey) { event.preventDefault(); undo(); }
    else if ((key === "z" && event.shiftKey) || key === "y") { event.preventDefault(); redo(); }
  });

  function refreshButtons() {
    buttons.undo.disabled = !history.length;
    buttons.redo.disabled = !undone.length;
    buttons.clear.disabled = !strokes.length;
    canvas.setAttribute("data-strokes", String(strokes.length));
  }

  // --- Saving -------------------------------------------------------------------------------------------

  function show(text, kind) {
    status.textContent = text;
    status.classList.toggle("is-local", kind === "local");
    status.classList.toggle("is-error", kind === "error");
  }

  function changed() {
    rev += 1;
    refreshButtons();
    var kept = keepLocal();
    show(kept || !local.available ? "Saving…" : NOWHERE, "saving");
    schedule(SAVE_AFTER_MS);
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(save, ms);
  }

  function payload() {
    return JSON.stringify({ v: 1, strokes: strokes });
  }

  function png() {
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/png"); });
  }

  function answer(response) {
    var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
    if (!isJson) {
      if (response.status === 401) return { ok: false, status: 401, message: LOCKED };
      if (response.status === 403) return { ok: false, status: 403, message: "This page has expired. Reload it — your drawing is kept on this device." };
      return { ok: false, status: response.status, message: "" };
    }
    return response.json().then(function (data) {
      return { ok: response.ok && data && data.ok, status: response.status, message: (data && data.message) || "", data: data };
    });
  }

  function save() {
    clearTimeout(timer);
    if (inFlight) { schedule(SAVE_AFTER_MS); return Promise.resolve(null); }
    if (rev === savedRev || (!existing && !strokes.length)) return Promise.resolve(null);
    var sending = rev;
    var strokesJson = payload();
    inFlight = true;
    return png().then(function (blob) {
      var body = new FormData();
      body.set("csrfmiddlewaretoken", csrf);
      body.set("uid", uid);
      body.set("session", place.session);
      body.set("entry", place.entry);
      body.set("png", blob, "drawing.png");
      body.set("strokes", new Blob([strokesJson], { type: "application/json" }), "strokes.json");
      return fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } });
    }).then(answer).catch(function () {
      return { ok: false, status: 0, message: "" };
    }).then(function (result) {
      inFlight = false;
      settle(result, sending);
      return result;
    });
  }

  function settle(result, sending) {
    if (result.ok) {
      savedRev = Math.max(savedRev, sending);
      if (!existing) {
        existing = true;
        if (window.history.replaceState) window.history.replaceState(null, "", result.data.url);
        addDeleteLink(result.data.delete_url);
      }
      var stored = local.read(uid);
      if (stored && stored.rev <= savedRev) local.forget(uid);
      if (rev === savedRev) show(result.data.saved_label, "saved");
      else schedule(SAVE_AFTER_MS);
    } else if (result.status === 400 || result.status === 404 || result.status === 413) {
      show(result.message || LOCAL, "error"); // wait for the next change rather than repeat a refusal
    } else if (result.status === 401) {
      show(LOCKED, "local");
    } else {
      show(result.message || (local.available ? LOCAL : NOWHERE), "local");
      schedule(RETRY_MS);
    }
  }

  function addDeleteLink(deleteUrl) {
    if (document.getElementById("draw-delete") || !deleteUrl) return;
    var done = document.getElementById("draw-done");
    var link = document.createElement("a");
    link.className = "button button-quiet";
    link.id = "draw-delete";
    link.href = deleteUrl;
    link.textContent = "Delete…";
    done.parentNode.insertBefore(link, done);
  }

  // --- Bringing back what had not reached the journal -------------------------------------------

  function notice(text) {
    restored.textContent = text;
    restored.hidden = false;
  }

  function time(ms) {
    var d = new Date(ms);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  function restore() {
    var mine = local.read(uid);
    if (mine && existing && mine.changedAt <= serverSavedAt) {
      local.forget(uid); // the server's copy is newer than the one kept here
      mine = null;
    }
    if (!mine && !existing) {
      mine = local.all().filter(function (d) {
        return !d.existing && d.session === place.session && d.entry === place.entry && d.strokes.length;
      })[0];
      if (mine) uid = mine.uid;
    }
    if (!mine) return false;
    strokes = mine.strokes;
    notice("Brought back your drawing from " + time(mine.changedAt) + ". It had not reached your journal yet; it is being saved now.");
    return true;
  }

  // --- Start -------------------------------------------------------------------------------------------

  try {
    strokes = JSON.parse(JSON.parse(initial.textContent)).strokes || [];
  } catch (e) {
    strokes = [];
  }
  root.querySelector(".draw-tools").hidden = false;
  var broughtBack = restore();
  redraw();
  refreshButtons();
  if (broughtBack) { rev += 1; keepLocal(); save(); }

  window.addEventListener("online", function () { if (rev !== savedRev) save(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && rev !== savedRev) { keepLocal(); save(); }
  });
  window.addEventListener("pagehide", function () {
    if (rev !== savedRev) keepLocal();
  });
  document.getElementById("draw-done").addEventListener("click", function (event) {
    if (rev === savedRev) return;
    event.preventDefault();
    var href = event.currentTarget.href;
    save().then(function () { window.location.assign(href); });
  });
})();
