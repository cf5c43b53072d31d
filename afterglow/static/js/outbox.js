// The phone's outbox: what was kept while the computer was out of reach (IndexedDB), sent when it
// is reachable again, and removed from the phone only once the journal says it stored it.
(function () {
  "use strict";
  const DB = "afterglow-outbox", STORE = "items";
  let sending = false;

  function open() {
    return new Promise(function (resolve, reject) {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "id" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        const tx = db.transaction(STORE, mode);
        const result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function uid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function keep(kind, fields, blob) {
    const item = { id: uid(), kind: kind, fields: fields, made_at: new Date().toISOString(), problem: "" };
    if (blob) item.blob = blob;
    return run("readwrite", function (s) { s.put(item); }).then(function () { show(); send(); return item; });
  }

  function all() { return run("readonly", function (s) { return s.getAll(); }); }
  function drop(id) { return run("readwrite", function (s) { s.delete(id); }); }
  function mark(item, problem) { item.problem = problem; return run("readwrite", function (s) { s.put(item); }); }

  // Reachable and open: the token to send with each item. Locked or away: null.
  function ready() {
    return fetch("/outbox/ready", { credentials: "same-origin", redirect: "manual", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json().then(function (d) { return d.csrf; }) : null; })
      .catch(function () { return null; });
  }

  function post(item, token) {
    if (item.kind === "voice") {
      const form = new FormData();
      form.append("audio", item.blob, "voice-note.webm");
      form.append("uid", item.id);
      form.append("csrfmiddlewaretoken", token);
      return fetch("/voice/upload", { method: "POST", body: form, credentials: "same-origin", redirect: "manual" });
    }
    const body = JSON.stringify({ id: item.id, kind: item.kind, fields: item.fields, made_at: item.made_at });
    return fetch("/outbox", { method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token } });
  }

  function sendOne(item, token) {
    return post(item, token).then(function (r) {
      if (r.ok) return drop(item.id);  // stored in the journal: nothing stays on the phone
      if (r.status === 400 || r.status === 413) {
        return r.json().then(function (d) { return mark(item, d.message || "The journal could not store this."); },
          function () { return mark(item, "The journal could not store this."); });
      }
      return null;  // locked, away, or busy: keep it and try again later
    }).catch(function () { return null; });
  }

  function send() {
    if (sending) return Promise.resolve();
    sending = true;
    return all().then(function (items) {
      const waiting = items.filter(function (i) { return !i.problem; });
      if (!waiting.length) return null;
      return ready().then(function (token) {
        if (!token) return null;
        return waiting.reduce(function (p, item) { return p.then(function () { return sendOne(item, token); }); }, Promise.resolve());
      });
    }).catch(function () { return null; }).then(function () { sending = false; return show(); });
  }

  function describe(item) {
    if (item.kind === "checkin") return "A check-in (mood " + item.fields.mood + ")";
    if (item.kind === "voice") return "A voice note";
    const text = String(item.fields.text || "");
    return "A few words: “" + (text.length > 40 ? text.slice(0, 40) + "…" : text) + "”";
  }

  function show() {
    // A page with the full list (the offline page) shows only that one.
    const listed = document.querySelectorAll("[data-outbox][data-outbox-list]");
    const boxes = listed.length ? listed : document.querySelectorAll("[data-outbox]");
    if (!boxes.length) return Promise.resolve();
    return all().then(function (items) {
      boxes.forEach(function (box) { render(box, items); });
    }).catch(function () { return null; });
  }

  function render(box, items) {
    box.hidden = items.length === 0;
    box.replaceChildren();
    if (!items.length) return;
    const head = document.createElement("p");
    head.className = "outbox-head";
    head.textContent = "Waiting to send to your journal (" + items.length + "): kept on this phone until the computer has it.";
    box.append(head);
    if (!box.hasAttribute("data-outbox-list")) return;
    const list = document.createElement("ul");
    list.className = "list-plain outbox-list";
    items.forEach(function (item) {
      const li = document.createElement("li");
      li.textContent = describe(item);
      if (item.problem) {
        const why = document.createElement("span");
        why.className = "outbox-problem";
        why.textContent = " — not stored: " + item.problem + " ";
        const discard = document.createElement("button");
        discard.type = "button"; discard.className = "button"; discard.textContent = "Discard";
        discard.addEventListener("click", function () { drop(item.id).then(show); });
        li.append(why, discard);
      }
      list.append(li);
    });
    box.append(list);
  }

  window.AfterglowOutbox = { keep: keep, send: send, show: show };
  if (!("indexedDB" in window)) return;
  window.addEventListener("online", send);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) send(); });
  setInterval(send, 15000);
  show();
  send();
})();
