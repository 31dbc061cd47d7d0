// Checks, in the browser, that each timeline step marked "in the public log" is in the log:
// fetches the log's latest signed checkpoint and the step's inclusion proof, checks the
// checkpoint's Ed25519 signature against the log's keys (/ledger/key: the current key, and the
// retired ones, each valid for the checkpoint sizes of its period; WebCrypto; a browser without
// Ed25519 checks only the proof and says so) and the RFC 9162 audit path from the step's leaf to the
// checkpoint's root (SHA-256), then says "verified ✓" or "could not verify" and why. Every
// word shown comes from the page (data-text-*, data-reason-*), in the reader's language.
// Without JavaScript the mark stays a link to the proof page, which explains how to check by hand.
(function () {
  "use strict";
  if (window.gerbangLedgerVerify) { return; } // the mark's script tag comes once per step
  window.gerbangLedgerVerify = true;

  var subtle = window.crypto && window.crypto.subtle;
  var encoder = new TextEncoder();

  function Failure(reason) { this.reason = reason; }

  function fromBase64(text) {
    var raw = atob(text.trim());
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function concat() {
    var total = 0, i;
    for (i = 0; i < arguments.length; i++) { total += arguments[i].length; }
    var out = new Uint8Array(total), at = 0;
    for (i = 0; i < arguments.length; i++) { out.set(arguments[i], at); at += arguments[i].length; }
    return out;
  }

  function equal(a, b) {
    if (a.length !== b.length) { return false; }
    for (var i = 0; i < a.length; i++) { if (a[i] !== b[i]) { return false; } }
    return true;
  }

  function sha256(bytes) {
    return subtle.digest("SHA-256", bytes).then(function (digest) { return new Uint8Array(digest); });
  }

  var fetched = {};

  // The key and the checkpoint are fetched once for every mark of the page.
  function fetchText(url) {
    if (!fetched[url]) { fetched[url] = fetchOnce(url); }
    return fetched[url];
  }

  function fetchOnce(url) {
    return fetch(url, { credentials: "omit", cache: "no-store" }).then(function (response) {
      if (!response.ok) { throw new Failure("fetch"); }
      return response.text();
    }, function () { throw new Failure("fetch"); });
  }

  // The verifier key "name+hexid+base64(0x01 || public key)" (C2SP signed-note).
  function parseKey(text) {
    // The name has no "+", the id is 8 hex digits; the base64 after them may hold "+".
    var found = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(text.trim());
    if (!found) { throw new Failure("signature"); }
    var parts = found.slice(1);
    var raw = fromBase64(parts[2]);
    if (raw.length !== 33 || raw[0] !== 1) { throw new Failure("signature"); }
    var key = { name: parts[0], id: parts[1], type: raw.slice(0, 1), publicKey: raw.slice(1) };
    // The key id is the first four bytes of SHA-256(name || "\n" || type || public key).
    return sha256(concat(encoder.encode(key.name + "\n"), key.type, key.publicKey)).then(function (digest) {
      var hex = Array.prototype.map.call(digest.slice(0, 4), function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
      if (hex !== key.id) { throw new Failure("signature"); }
      key.idBytes = digest.slice(0, 4);
      return key;
    });
  }

  // The log's key list (/ledger/key, docs/ledger.md): one key a line, the current one first, each
  // with the sizes of the checkpoints it may sign ("sizes=A-B"; "A-" from A on; none: any).
  function parseKeyList(text) {
    var lines = text.split("\n").map(function (line) { return line.trim(); }).filter(function (line) {
      return line && line.charAt(0) !== "#";
    });
    if (!lines.length) { throw new Failure("signature"); }
    return Promise.all(lines.map(function (line, index) {
      var words = line.split(/\s+/);
      var current = index === 0, sizes = null;
      words.slice(1).forEach(function (word) {
        if (word === "current") { current = true; }
        if (word === "retired") { current = false; }
        var range = /^sizes=([0-9]+)-([0-9]*)$/.exec(word);
        if (range) { sizes = { first: parseInt(range[1], 10), last: range[2] === "" ? null : parseInt(range[2], 10) }; }
      });
      return parseKey(words[0]).then(function (key) {
        key.current = current;
        key.sizes = sizes;
        return key;
      });
    }));
  }

  // Whether a key may have signed a checkpoint of `size` leaves as the log's key.
  function covers(key, size) {
    if (!key.sizes) { return true; }
    if (size < key.sizes.first) { return false; }
    return key.current || key.sizes.last === null || size <= key.sizes.last;
  }

  // A signed note: its text (through the line before the blank one) and its signature lines.
  function parseNote(note) {
    var split = note.lastIndexOf("\n\n");
    if (split < 0) { throw new Failure("signature"); }
    var text = note.slice(0, split + 1);
    var lines = note.slice(split + 2).replace(/\n$/, "").split("\n");
    var body = text.split("\n");
    if (body.length < 4 || !/^[1-9][0-9]*$|^0$/.test(body[1])) { throw new Failure("signature"); }
    return { text: text, signatures: lines, origin: body[0], size: parseInt(body[1], 10), root: fromBase64(body[2]) };
  }

  // Whether the note carries a signature, by one of the log's keys valid for its size, that
  // verifies (the current key first); null when this browser has no Ed25519 (then only the
  // proof is checked).
  function checkSignature(note, keys) {
    var candidates = [];
    keys.filter(function (key) { return covers(key, note.size) && note.origin === keys[0].name; })
      .sort(function (a, b) { return (b.current ? 1 : 0) - (a.current ? 1 : 0); })
      .forEach(function (key) {
        note.signatures.forEach(function (line) {
          var parts = line.split(" ");
          if (parts.length === 3 && parts[0] === "\u2014" && parts[1] === key.name) {
            var data = fromBase64(parts[2]);
            if (equal(data.slice(0, 4), key.idBytes)) { candidates.push({ key: key, signature: data.slice(4) }); }
          }
        });
      });
    if (!candidates.length) { return Promise.reject(new Failure("signature")); }
    var first = candidates[0];
    return subtle.importKey("raw", first.key.publicKey, { name: "Ed25519" }, false, ["verify"]).then(function (publicKey) {
      return subtle.verify({ name: "Ed25519" }, publicKey, first.signature, encoder.encode(note.text)).then(function (ok) {
        if (!ok) { throw new Failure("signature"); }
        return true;
      });
    }, function () { return null; });
  }

  function node(left, right) { return sha256(concat(new Uint8Array([1]), left, right)); }

  // RFC 9162 §2.1.3.2: the root an audit path leads to from leaf `index` of a tree of `size`.
  function rootFromProof(index, size, leafHash, path) {
    if (index < 0 || index >= size) { return Promise.reject(new Failure("proof")); }
    var fn = index, sn = size - 1, step = Promise.resolve(leafHash);
    path.forEach(function (sibling) {
      step = step.then(function (r) {
        if (sn === 0) { throw new Failure("proof"); }
        var next;
        if (fn % 2 === 1 || fn === sn) {
          next = node(sibling, r);
          if (fn % 2 === 0) { while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); } }
        } else {
          next = node(r, sibling);
        }
        fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
        return next;
      });
    });
    return step.then(function (r) {
      if (sn !== 0) { throw new Failure("proof"); }
      return r;
    });
  }

  function verify(mark) {
    var eventId = parseInt(mark.getAttribute("data-ledger-event"), 10);
    var note, signed;
    return Promise.all([fetchText(mark.getAttribute("data-key-url")), fetchText(mark.getAttribute("data-checkpoint-url"))])
      .then(function (answers) {
        note = parseNote(answers[1]);
        return parseKeyList(answers[0]);
      })
      .then(function (keys) {
        return checkSignature(note, keys);
      })
      .then(function (result) {
        signed = result;
        var url = mark.getAttribute("data-proof-api-url") + "?event_id=" + eventId + "&tree_size=" + note.size;
        return fetch(url, { credentials: "omit", cache: "no-store" }).then(function (response) {
          if (!response.ok) { throw new Failure("fetch"); }
          return response.json();
        }, function () { throw new Failure("fetch"); });
      })
      .then(function (proof) {
        var leaf = fromBase64(proof.leaf);
        var entry;
        try { entry = JSON.parse(new TextDecoder().decode(leaf)); } catch (e) { throw new Failure("leaf"); }
        if (!entry || entry.id !== eventId || proof.tree_size !== note.size) { throw new Failure("leaf"); }
        return sha256(concat(new Uint8Array([0]), leaf)).then(function (leafHash) {
          return rootFromProof(proof.leaf_index, proof.tree_size, leafHash, proof.hashes.map(fromBase64));
        });
      })
      .then(function (root) {
        if (!equal(root, note.root)) { throw new Failure("proof"); }
        return signed ? "verified" : "verified-inclusion";
      });
  }

  function show(mark, state, reason) {
    var status = mark.querySelector(".ledger-status");
    var text = mark.getAttribute("data-text-" + state) || state;
    if (reason) { text += ": " + (mark.getAttribute("data-reason-" + reason) || reason); }
    status.textContent = text;
    mark.setAttribute("data-ledger-state", state);
  }

  function start() {
    document.querySelectorAll("[data-ledger-event]").forEach(function (mark) {
      if (!subtle) { show(mark, "failed", "crypto"); return; }
      show(mark, "checking");
      verify(mark).then(function (state) { show(mark, state); }, function (error) {
        show(mark, "failed", error instanceof Failure ? error.reason : "proof");
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
