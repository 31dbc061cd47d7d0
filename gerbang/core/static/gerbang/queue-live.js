// Live queue pages: the display board and the visitor's ticket page follow the office's queue
// through the live relay (server-sent events). Each message is the whole state of the queue,
// so a lost one is repaired by the next; on every (re)connection the page also asks for the
// state once. Without JavaScript the pages refresh themselves instead.
(function () {
  "use strict";

  function follow(root, onState, onConnection) {
    var source = null;
    var retry = null;
    function fetchState() {
      fetch(root.dataset.state, { headers: { Accept: "application/json" }, cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) { if (state) onState(state); })
        .catch(function () {});
    }
    function connect() {
      if (!window.EventSource) return;
      source = new EventSource(root.dataset.stream);
      source.addEventListener("open", function () { onConnection(true); fetchState(); });
      source.addEventListener("queue", function (event) {
        var state;
        try { state = JSON.parse(event.data); } catch (error) { return; }
        onState(state);
      });
      source.addEventListener("error", function () {
        onConnection(false);
        if (source.readyState === EventSource.CLOSED) {
          clearTimeout(retry);
          retry = setTimeout(connect, 2000 + Math.random() * 3000);
        }
      });
    }
    connect();
    // A safety net for proxies that cut streams silently: the state once a minute.
    setInterval(fetchState, 60000);
    if (!window.EventSource) setInterval(fetchState, 5000);
  }

  function place(state, number) {
    var found = null;
    state.counters.forEach(function (counter) {
      if (counter.ticket === number) found = { where: "counter", counter: String(counter.number) };
    });
    if (found) return found;
    state.lanes.forEach(function (lane) {
      lane.waiting.forEach(function (entry, index) {
        if (entry[0] === number) found = { where: "waiting", ahead: index, seconds: entry[1] };
      });
    });
    return found || { where: "elsewhere" };
  }

  // --- The visitor's ticket page ---------------------------------------------------------
  var ticket = document.querySelector("[data-live-ticket]");
  if (ticket) {
    var reloading = false;
    var reload = function () {
      if (reloading) return;
      reloading = true;
      setTimeout(function () { window.location.reload(); }, 250);
    };
    follow(ticket, function (state) {
      var now = place(state, ticket.dataset.number);
      if (now.where !== ticket.dataset.where ||
          (now.where === "counter" && now.counter !== ticket.dataset.counter)) {
        if (now.where === "counter" && navigator.vibrate) navigator.vibrate([300, 100, 300]);
        reload();
        return;
      }
      if (now.where !== "waiting") return;
      var ahead = ticket.querySelector("[data-ahead]");
      var wait = ticket.querySelector("[data-wait]");
      if (ahead) ahead.textContent = String(now.ahead);
      if (wait) {
        wait.textContent = now.ahead === 0
          ? ticket.querySelector("[data-next-text]").textContent
          : ticket.dataset.minutes.replace("{n}", String(Math.max(1, Math.ceil(now.seconds / 60))));
      }
    }, function () {});
  }

  // --- The display board -----------------------------------------------------------------
  var board = document.querySelector("[data-live-board]");
  if (board) {
    var language = document.documentElement.lang || "id";
    var lastCall = null;
    var sound = false;
    var soundButton = board.querySelector("[data-sound]");
    var audio = null;

    // A call, said aloud in the board's language after the chime: the ticket letter by letter,
    // then the counter, twice, as offices call (a person who missed the first hears the second).
    // The browser's own speech synthesis says it when it has a voice for the language; otherwise
    // the board plays its recorded clips (data-voice-clips, made by scripts/board_voice.py).
    var speechLang = board.dataset.speechLang || language;
    var clips = {};
    try { clips = JSON.parse(board.dataset.voiceClips || "{}"); } catch (error) { clips = {}; }
    var hasVoice = function () {
      if (!("speechSynthesis" in window)) return false;
      var wanted = speechLang.split("-")[0].toLowerCase();
      return window.speechSynthesis.getVoices().some(function (voice) {
        return voice.lang.toLowerCase().replace("_", "-").split("-")[0] === wanted;
      });
    };
    // Chromium lists its voices only once asked: ask now, so they are known by the first call.
    if ("speechSynthesis" in window) window.speechSynthesis.getVoices();
    var player = null;
    var playClips = function (names, then) {
      player = player || new Audio();
      var index = 0;
      var next = function () {
        while (index < names.length && !clips[names[index]]) index += 1;
        if (index >= names.length) { player.onended = null; if (then) then(); return; }
        player.src = clips[names[index]];
        index += 1;
        player.play().catch(function () { player.onended = null; });
      };
      player.onended = next;
      next();
    };
    var speak = function (ticket, counter) {
      if (!sound) return;
      var characters = String(ticket).toUpperCase().replace(/[^0-9A-Z]/g, "").split("");
      if (hasVoice() && board.dataset.callPhrase) {
        var text = board.dataset.callPhrase.replace("{ticket}", characters.join(" ")).replace("{n}", String(counter));
        [0, 1].forEach(function () {
          var utterance = new SpeechSynthesisUtterance(text);
          utterance.lang = speechLang;
          utterance.rate = 0.9;
          window.speechSynthesis.speak(utterance);
        });
        return;
      }
      var names = ["intro"].concat(characters, ["counter"], String(counter).split(""));
      playClips(names, function () { setTimeout(function () { playClips(names); }, 700); });
    };

    var chime = function () {
      if (!sound) return;
      try {
        audio = audio || new (window.AudioContext || window.webkitAudioContext)();
        [660, 880].forEach(function (frequency, index) {
          var oscillator = audio.createOscillator();
          var gain = audio.createGain();
          oscillator.frequency.value = frequency;
          gain.gain.setValueAtTime(0.0001, audio.currentTime + index * 0.35);
          gain.gain.exponentialRampToValueAtTime(0.4, audio.currentTime + index * 0.35 + 0.02);
          gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + index * 0.35 + 0.6);
          oscillator.connect(gain).connect(audio.destination);
          oscillator.start(audio.currentTime + index * 0.35);
          oscillator.stop(audio.currentTime + index * 0.35 + 0.65);
        });
      } catch (error) { sound = false; }
    };
    if (soundButton) {
      soundButton.hidden = false;
      sound = window.localStorage && localStorage.getItem("gerbang-board-sound") === "on";
      soundButton.setAttribute("aria-pressed", String(sound));
      soundButton.addEventListener("click", function () {
        sound = !sound;
        soundButton.setAttribute("aria-pressed", String(sound));
        if (window.localStorage) localStorage.setItem("gerbang-board-sound", sound ? "on" : "off");
        chime();
      });
    }

    var item = function (parts, className) {
      var li = document.createElement("li");
      if (className) li.className = className;
      parts.forEach(function (part) {
        var span = document.createElement("span");
        span.className = part[0];
        span.textContent = part[1];
        li.appendChild(span);
        li.appendChild(document.createTextNode(" "));
      });
      return li;
    };
    var counterLabel = function (number) { return board.dataset.counterLabel.replace("{n}", String(number)); };
    // A list with nothing in it says so, in the words its page gave it (data-empty).
    var replace = function (list, items) {
      while (list.firstChild) list.removeChild(list.firstChild);
      if (!items.length && list.dataset.empty) {
        var none = document.createElement("li");
        none.className = "board-empty";
        none.textContent = list.dataset.empty;
        items = [none];
      }
      items.forEach(function (li) { list.appendChild(li); });
    };

    var render = function (state) {
      var newest = state.recent.length ? state.recent[0].ticket + "@" + state.recent[0].at : "";
      var fresh = lastCall !== null && newest && newest !== lastCall;
      lastCall = newest;
      replace(board.querySelector("[data-counters]"), state.counters.filter(function (c) { return c.open; }).map(function (c) {
        var li = item([["board-counter", counterLabel(c.number)], ["board-ticket", c.ticket || "—"]], c.ticket ? "serving" : "");
        if (fresh && c.ticket === state.recent[0].ticket) li.classList.add("just-called");
        return li;
      }));
      replace(board.querySelector("[data-recent]"), state.recent.map(function (call) {
        return item([["board-ticket", call.ticket], ["", "→ " + counterLabel(call.counter)]]);
      }));
      replace(board.querySelector("[data-lanes]"), state.lanes.map(function (lane) {
        return item([["board-letter", lane.letter], ["", (language === "en" ? lane.name_en : lane.name_id) + ":"], ["board-count", String(lane.waiting.length)]]);
      }));
      if (fresh) {
        chime();
        setTimeout(function () { speak(state.recent[0].ticket, state.recent[0].counter); }, 900);
      }
    };
    var offline = board.querySelector("[data-offline]");
    follow(board, render, function (connected) { if (offline) offline.hidden = connected; });

    var clock = board.querySelector("[data-clock]");
    var tick = function () {
      try {
        clock.textContent = new Intl.DateTimeFormat(language, { hour: "2-digit", minute: "2-digit", timeZone: board.dataset.zone }).format(new Date());
      } catch (error) { clock.textContent = ""; }
    };
    if (clock) { tick(); setInterval(tick, 15000); }
  }
})();
