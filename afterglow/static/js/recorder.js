// Voice notes that are never lost: record (MediaRecorder, Opus), keep the recording in this
// browser's IndexedDB first, then upload it. A failed upload (server down, journal locked,
// network gone) leaves it there; it is sent again on the next page load, when the browser
// comes back online, and every RETRY_MS. It is forgotten only after the server has stored it.
// While recording, each second of audio is kept as it comes, so a closed tab, a crashed
// browser or a flat battery loses at most a second: the next page that opens sends the rest.
(function () {
  "use strict";

  var DB_NAME = "afterglow-voice";
  var DB_VERSION = 2;
  var STORE = "pending"; // whole recordings waiting to be sent
  var TAKES = "takes"; // recordings in progress: what each is, and when it was last heard from
  var CHUNKS = "chunks"; // their audio so far, a chunk a second, keyed [uid, seq]
  var RETRY_MS = 15000;
  var POLL_MS = 1000;
  var BEAT_MS = 5000;
  // Without Web Locks, a take not heard from for this long is taken to have been cut off.
  var STALE_MS = 180000;
  var TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"];
  var noop = function () {};

  // --- IndexedDB: a tiny promise wrapper -----------------------------------------------

  // One connection for the page: transactions then run in the order they were asked for,
  // so a take's last chunk is always stored before the take is settled.
  var dbPromise = null;

  function openDb() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      if (!window.indexedDB) return reject(new Error("no IndexedDB"));
      var request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: "uid" });
        if (!db.objectStoreNames.contains(TAKES)) db.createObjectStore(TAKES, { keyPath: "uid" });
        if (!db.objectStoreNames.contains(CHUNKS)) db.createObjectStore(CHUNKS, { keyPath: ["uid", "seq"] });
      };
      request.onsuccess = function () {
        var db = request.result;
        db.onversionchange = function () { db.close(); dbPromise = null; };
        resolve(db);
      };
      request.onerror = function () { dbPromise = null; reject(request.error); };
    });
    return dbPromise;
  }

  // One transaction over `names`; `action(tx)` queues requests and returns the one whose result is wanted.
  function transact(names, mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(names, mode);
        var request = action(tx);
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function inStore(name, mode, action) {
    return transact([name], mode, function (tx) { return action(tx.objectStore(name)); });
  }

  var keep = function (item) { return inStore(STORE, "readwrite", function (s) { return s.put(item); }); };
  var forget = function (uid) { return inStore(STORE, "readwrite", function (s) { return s.delete(uid); }); };
  var pending = function () { return inStore(STORE, "readonly", function (s) { return s.getAll(); }); };
  var keepTake = function (take) { return inStore(TAKES, "readwrite", function (s) { return s.put(take); }); };
  var chunkRange = function (uid) { return IDBKeyRange.bound([uid, 0], [uid, Infinity]); };

  // A second of a take in progress, and the take itself (its heartbeat), together.
  function keepChunk(take, seq, blob) {
    return transact([TAKES, CHUNKS], "readwrite", function (tx) {
      tx.objectStore(TAKES).put(take);
      return tx.objectStore(CHUNKS).put({ uid: take.uid, seq: seq, blob: blob });
    });
  }

  // A take ends as one recording waiting to be sent (or as nothing), its chunks gone, all at once.
  function settle(takeUid, item) {
    return transact([STORE, TAKES, CHUNKS], "readwrite", function (tx) {
      tx.objectStore(TAKES).delete(takeUid);
      tx.objectStore(CHUNKS).delete(chunkRange(takeUid));
      return item ? tx.objectStore(STORE).put(item) : null;
    });
  }

  // --- takes cut off mid-recording -------------------------------------------------------

  var hasLocks = function () { return !!(navigator.locks && navigator.locks.request); };
  var lockName = function (uid) { return "afterglow-voice-take:" + uid; };

  // The page recording a take holds its Web Lock until it stops; a closed or crashed page lets
  // go. So a take whose lock is free has been cut off, and whoever takes the lock salvages it,
  // once. Without Web Locks: a take not heard from for STALE_MS.
  function recoverTake(take) {
    if (hasLocks()) {
      return navigator.locks.request(lockName(take.uid), { ifAvailable: true }, function (lock) {
        return lock ? salvage(take) : null;
      });
    }
    return Date.now() - take.beatAt > STALE_MS ? salvage(take) : Promise.resolve(null);
  }

  // What was kept becomes a recording under a new uid: if a take was only thought cut off,
  // the journal gets two copies rather than one lost.
  function salvage(take) {
    return inStore(CHUNKS, "readonly", function (s) { return s.getAll(chunkRange(take.uid)); }).then(function (chunks) {
      if (!chunks || !chunks.length) return settle(take.uid, null).then(function () { return null; });
      var item = {
        uid: newUid(), type: take.type, session: take.session, url: take.url, createdAt: take.createdAt,
        seconds: take.seconds, recovered: true, answer: take.answer || "", private: !!take.private,
        blob: new Blob(chunks.map(function (c) { return c.blob; }), { type: take.type }),
      };
      return settle(take.uid, item).then(function () { return item; });
    });
  }

  function recoverTakes() {
    return inStore(TAKES, "readonly", function (s) { return s.getAll(); }).then(function (takes) {
      return Promise.all((takes || []).map(function (take) { return recoverTake(take).catch(noop); }));
    });
  }

  function newUid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  function csrfToken(root) {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = root.querySelector("[data-rec-csrf]");
    return input ? input.value : "";
  }

  function clock(ms) {
    var s = Math.floor(ms / 1000);
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }

  function extension(type) {
    if (type.indexOf("ogg") >= 0) return "ogg";
    if (type.indexOf("mp4") >= 0) return "m4a";
    return "webm";
  }

  // --- one recorder widget ---------------------------------------------------------------

  function Recorder(root) {
    this.root = root;
    this.url = root.getAttribute("data-upload-url");
    this.session = root.getAttribute("data-session") || "";
    this.toggle = root.querySelector("[data-rec-toggle]");
    this.label = root.querySelector("[data-rec-label]");
    this.pauseButton = root.querySelector("[data-rec-pause]");
    this.timer = root.querySelector("[data-rec-timer]");
    this.level = root.querySelector("[data-rec-level]");
    this.status = root.querySelector("[data-rec-status]");
    this.list = root.querySelector("[data-rec-list]");
    this.privateBox = root.querySelector("[data-rec-private]");
    this.items = {};
    this.sending = {};
    this.madeHere = {};
  }

  Recorder.prototype.init = function () {
    var self = this;
    if (!window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      this.say("This browser cannot record here; you can upload an audio file instead.");
      return;
    }
    this.root.querySelector("[data-rec-controls]").hidden = false;
    this.toggle.addEventListener("click", function () { self.recording ? self.stop() : self.start(); });
    this.pauseButton.addEventListener("click", function () { self.pauseOrResume(); });
    // On the writing page, a recording follows the entry's own Private box until the person sets it here.
    var entryPrivate = document.getElementById("entry-private");
    if (this.privateBox && entryPrivate) {
      var follow = function () { self.privateBox.checked = entryPrivate.checked; };
      follow();
      entryPrivate.addEventListener("change", follow);
    }
  };

  Recorder.prototype.say = function (text) { this.status.textContent = text; };

  // Lets the page act on a recording (capture.js adds a transcript to the answer it belongs to).
  Recorder.prototype.tell = function (name, detail) {
    this.root.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: detail }));
  };

  Recorder.prototype.start = function () {
    var self = this;
    this.toggle.disabled = true;
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      self.begin(stream);
    }, function () {
      self.toggle.disabled = false;
      self.say("The microphone could not be opened. Allow it in the browser, or upload a file instead.");
    });
  };

  // The text box a recording is for: the one last used in this recorder's form (the page marks it
  // with data-voice-box), else the recorder's own target. Its name goes with the upload.
  Recorder.prototype.answerFor = function () {
    var form = this.root.closest("form");
    var named = form && form.getAttribute("data-voice-box");
    if (named) return named;
    var box = document.getElementById(this.root.getAttribute("data-rec-target") || "");
    return (box && box.name) || "";
  };

  Recorder.prototype.begin = function (stream) {
    var self = this;
    var type = TYPES.filter(function (t) { return MediaRecorder.isTypeSupported(t); })[0] || "";
    this.stream = stream;
    this.chunks = [];
    this.media = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    var take = this.take = {
      uid: newUid(), type: (this.media.mimeType || type || "audio/webm").split(";")[0], session: this.session,
      url: this.url, createdAt: Date.now(), beatAt: Date.now(), seconds: 0, answer: this.answerFor(),
      private: !!(this.privateBox && this.privateBox.checked),
    };
    var seq = 0;
    this.holdTake(take);
    this.media.addEventListener("dataavailable", function (e) {
      if (!e.data || !e.data.size) return;
      self.chunks.push(e.data);
      take.beatAt = Date.now();
      take.seconds = Math.round(self.runningMs() / 1000);
      keepChunk(take, seq++, e.data).catch(noop);
    });
    this.media.addEventListener("stop", function () { self.finish(); });
    this.media.start(1000);
    this.recording = true;
    this.elapsed = 0;
    this.since = Date.now();
    this.toggle.disabled = false;
    this.toggle.setAttribute("aria-pressed", "true");
    this.label.textContent = "Stop recording";
    this.pauseButton.hidden = false;
    this.pauseButton.textContent = "Pause";
    this.say("Recording…");
    this.meter(stream);
    this.tick = setInterval(function () { self.timer.textContent = clock(self.runningMs()); }, 250);
  };

  // Mark the take as being recorded (its lock, held until it is settled), then note it down.
  Recorder.prototype.holdTake = function (take) {
    var self = this;
    if (!hasLocks()) {
      keepTake(take).catch(noop);
      // A paused recording sends no audio: a heartbeat shows it is still alive.
      this.beat = setInterval(function () { take.beatAt = Date.now(); keepTake(take).catch(noop); }, BEAT_MS);
      return;
    }
    navigator.locks.request(lockName(take.uid), function () {
      return keepTake(take).catch(noop).then(function () {
        return new Promise(function (release) { self.release = release; });
      });
    }).catch(noop);
  };

  Recorder.prototype.runningMs = function () {
    return this.elapsed + (this.since ? Date.now() - this.since : 0);
  };

  Recorder.prototype.pauseOrResume = function () {
    if (!this.media) return;
    if (this.media.state === "recording") {
      this.media.pause();
      this.elapsed = this.runningMs();
      this.since = 0;
      this.pauseButton.textContent = "Resume";
      this.say("Paused.");
    } else if (this.media.state === "paused") {
      this.media.resume();
      this.since = Date.now();
      this.pauseButton.textContent = "Pause";
      this.say("Recording…");
    }
  };

  Recorder.prototype.meter = function (stream) {
    var self = this;
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    this.audio = new Context();
    var analyser = this.audio.createAnalyser();
    analyser.fftSize = 1024;
    this.audio.createMediaStreamSource(stream).connect(analyser);
    var samples = new Float32Array(analyser.fftSize);
    var draw = function () {
      if (!self.recording) return;
      analyser.getFloatTimeDomainData(samples);
      var sum = 0;
      for (var i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
      self.level.value = Math.min(1, Math.sqrt(sum / samples.length) * 4);
      requestAnimationFrame(draw);
    };
    draw();
  };

  Recorder.prototype.stop = function () {
    if (!this.media) return;
    this.elapsed = this.runningMs();
    this.since = 0;
    this.recording = false;
    this.media.stop();
  };

  Recorder.prototype.finish = function () {
    var self = this;
    clearInterval(this.tick);
    clearInterval(this.beat);
    this.stream.getTracks().forEach(function (t) { t.stop(); });
    if (this.audio) this.audio.close();
    this.level.value = 0;
    this.toggle.setAttribute("aria-pressed", "false");
    this.label.textContent = "Start recording";
    this.pauseButton.hidden = true;
    var take = this.take;
    var item = {
      uid: take.uid, blob: new Blob(this.chunks, { type: take.type }), type: take.type,
      session: take.session, url: take.url, createdAt: take.createdAt, seconds: Math.round(this.elapsed / 1000),
      answer: take.answer || "", private: !!take.private,
    };
    var release = this.release || noop;
    this.madeHere[item.uid] = true;
    this.media = this.take = this.release = null;
    this.show(item, "Saving on this device…");
    settle(take.uid, item).then(function () {
      release();
      self.send(item);
    }, function () {
      release();
      self.send(item); // storage refused (private mode, full disk): sending is the only copy
    });
  };

  // --- sending, and the list of recordings on their way ---------------------------------

  Recorder.prototype.show = function (item, text) {
    var li = this.items[item.uid];
    if (!li) {
      li = document.createElement("li");
      li.className = "voice-item";
      li.setAttribute("data-rec-item", item.uid);
      li.appendChild(document.createElement("span")).className = "voice-item-name";
      li.appendChild(document.createElement("span")).className = "voice-item-state";
      li.firstChild.textContent = "Recording of " + new Date(item.createdAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) +
        (item.seconds ? " (" + clock(item.seconds * 1000) + ")" : "") +
        (item.recovered ? ", kept when its page closed mid-recording" : "");
      this.list.appendChild(li);
      this.items[item.uid] = li;
    }
    li.lastChild.textContent = " — " + text;
    return li;
  };

  Recorder.prototype.send = function (item) {
    var self = this;
    if (this.sending[item.uid]) return;
    this.sending[item.uid] = true;
    this.show(item, "Sending…");
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken(this.root));
    body.append("uid", item.uid);
    body.append("session", item.session || "");
    // The answer this recording is for (a field name): the server adds the transcript there when it is ready.
    body.append("answer", item.answer || "");
    if (item.private) body.append("private", "on");
    body.append("audio", item.blob, "voice-note." + extension(item.type));
    fetch(item.url || this.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(this.root) },
    }).then(function (response) {
      var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      return (isJson ? response.json() : Promise.resolve(null)).then(function (data) {
        self.answered(item, response.status, data);
      });
    }).catch(function () {
      self.later(item, "Afterglow cannot be reached. The recording is kept on this device and will be sent when it can.");
    });
  };

  Recorder.prototype.answered = function (item, status, data) {
    var self = this;
    if (data && data.ok) {
      forget(item.uid).catch(function () {});
      this.sending[item.uid] = false;
      this.sent(item, data);
      this.tell("afterglow:voice-stored", { url: data.url });
      return;
    }
    if (status === 401) {
      return this.later(item, document.documentElement.hasAttribute("data-signs-in")  // a clinic: signed out, not locked
        ? "You were signed out. The recording is kept on this device and will be sent after you sign in again."
        : "The journal is locked. The recording is kept on this device and will be sent after you unlock.");
    }
    if (status === 403) return this.later(item, "This page has expired. Reload it; the recording is kept on this device.");
    if (status >= 400 && status < 500 && data && data.message) {
      this.sending[item.uid] = false;
      return this.refused(item, data.message);
    }
    self.later(item, "The upload did not finish. The recording is kept on this device and will be sent again.");
  };

  Recorder.prototype.later = function (item, text) {
    this.sending[item.uid] = false;
    this.show(item, text);
    this.say(text);
  };

  // The server would never take this one (silent, too long): say why, and let the person keep or drop it.
  Recorder.prototype.refused = function (item, message) {
    var li = this.show(item, message);
    var link = document.createElement("a");
    link.href = URL.createObjectURL(item.blob);
    link.download = "voice-note." + extension(item.type);
    link.textContent = "Download it";
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "button button-quiet";
    drop.textContent = "Discard";
    drop.addEventListener("click", function () { forget(item.uid).catch(function () {}); li.remove(); });
    li.appendChild(document.createTextNode(" "));
    li.appendChild(link);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(drop);
    item.refused = message;
    keep(item).catch(function () {});
    this.say(message);
  };

  Recorder.prototype.sent = function (item, data) {
    var self = this;
    var li = this.show(item, "");
    li.lastChild.textContent = " — saved. ";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = "Open it";
    var which = document.createElement("span");
    which.className = "visually-hidden";
    which.textContent = " (" + li.firstChild.textContent + ")";
    link.appendChild(which);
    var progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    progress.className = "voice-progress";
    progress.setAttribute("aria-label", "Transcription progress");
    var state = document.createElement("span");
    state.className = "voice-item-progress";
    state.setAttribute("data-rec-progress", "");
    li.appendChild(link);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(progress);
    li.appendChild(state);
    this.say("Recording saved in your journal. Transcribing…");
    var poll = function () {
      fetch(data.status_url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) {
          if (r.status === 404) return "gone";
          var isJson = (r.headers.get("Content-Type") || "").indexOf("application/json") === 0;
          return r.ok && isJson ? r.json() : null; // locked: the unlock page, not JSON; ask again later
        })
        .then(function (s) {
          if (s === "gone") return;
          if (!s) return setTimeout(poll, POLL_MS * 3);
          progress.value = s.progress;
          state.textContent = " " + s.label + (s.finished ? "" : " " + s.progress + "%");
          if (s.status === "done" && !s.text && s.remark) {
            self.say(s.remark); // no words heard: say so, rather than quote an empty transcript
          } else if (s.status === "done") {
            var quote = document.createElement("q");
            quote.className = "voice-item-text";
            quote.textContent = s.text;
            li.appendChild(quote);
            // Parts left out (not English to the transcriber, say): the note's own words about it.
            self.say(s.remark ? "Transcript ready (machine-made). " + s.remark : "Transcript ready (machine-made; open it to check).");
            // Only a recording made on this page belongs to its answer (not one sent on from an earlier page).
            if (self.madeHere[item.uid]) {
              self.tell("afterglow:transcript", {
                text: s.text, url: data.url, target: self.root.getAttribute("data-rec-target") || "", answer: item.answer || "",
              });
            }
          } else if (s.status === "failed") {
            self.say("The transcript could not be made; the recording is kept. Open it to try again.");
          } else {
            setTimeout(poll, POLL_MS);
          }
        }, function () { setTimeout(poll, POLL_MS * 3); });
    };
    poll();
  };

  Recorder.prototype.retryPending = function () {
    var self = this;
    recoverTakes().catch(noop).then(pending).then(function (items) {
      (items || []).forEach(function (item) {
        if (item.refused) return self.refused(item, item.refused);
        self.send(item);
      });
    }).catch(function () {});
  };

  // Leaving the page mid-recording would drop what is not yet stopped and saved: ask first.
  function guardUnload(recorders) {
    window.addEventListener("beforeunload", function (event) {
      if (recorders.some(function (r) { return r.recording; })) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  function start() {
    var roots = document.querySelectorAll("[data-voice-recorder]");
    if (!roots.length) return;
    // Only the first widget on a page sends what is waiting, so nothing is sent twice at once.
    var recorders = Array.prototype.map.call(roots, function (root) {
      var r = new Recorder(root);
      r.init();
      return r;
    });
    guardUnload(recorders);
    var first = recorders[0];
    first.retryPending();
    window.addEventListener("online", function () { first.retryPending(); });
    setInterval(function () { first.retryPending(); }, RETRY_MS);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
