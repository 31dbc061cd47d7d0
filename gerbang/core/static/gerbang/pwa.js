// The installable app: registers the service worker (gerbang/core/pwa.py), which keeps the
// pages of one's own for reading offline and, in its outbox, the forms sent offline. This shows
// what waits (#outbox), with a note at its form, says when it was sent, sends it when the
// connection returns, and warns before signing out deletes it. Pages work the same without it.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  var worker = navigator.serviceWorker;
  window.addEventListener("load", function () {
    worker.register("/sw.js").catch(function () { /* the site works without it */ });
  });
  var box = document.getElementById("outbox");
  if (!box) return;
  var owner = box.getAttribute("data-owner");
  var mine = [], retry = null;

  function text(name) { return box.querySelector('[data-t="' + name + '"]').textContent; }
  function post(message) { if (worker.controller) worker.controller.postMessage(message); }
  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var hex = Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(16)), function (b, i) {
      return ((i === 6 ? b & 15 | 64 : i === 8 ? b & 63 | 128 : b) + 256).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }
  function part(form) { return form.elements.slot ? form.elements.slot.value : ""; }

  // A page shown as kept offline carries the keys of its first showing: each showing gets its own.
  var note = document.querySelector("[data-offline-note]");
  if (note && !note.hidden) {
    document.querySelectorAll('form[data-queue] [name="idempotency_key"]').forEach(function (input) {
      input.value = newKey();
    });
  }

  function show() {
    var list = box.querySelector("ul"), said = box.querySelector("[data-said]");
    var waiting = mine.filter(function (item) { return item.state !== "sent"; });
    list.textContent = "";
    mine.forEach(function (item) {
      if (item.state === "sent") {
        var link = document.createElement("a");
        said.textContent = text("sent") + " “" + item.label + "”. ";
        link.href = item.done;
        link.textContent = text("open");
        said.appendChild(link);
        post({type: "discard", id: item.id});
        return;
      }
      var entry = document.createElement("li"), discard = document.createElement("button");
      var state = item.state === "problem" ? text("problem") + " " + item.problem : text(item.state);
      entry.textContent = "“" + item.label + "”: " + state + " ";
      discard.type = "button";
      discard.className = "link";
      discard.textContent = text("discard");
      discard.addEventListener("click", function () { post({type: "discard", id: item.id}); });
      entry.appendChild(discard);
      list.appendChild(entry);
    });
    // A send that failed on the way (the network back but not yet usable): tried again soon.
    if (!retry && waiting.some(function (item) { return item.state === "waiting"; })) {
      retry = setTimeout(function () { retry = null; flush(); }, 10000);
    }
    box.querySelector("h2").hidden = !waiting.length;
    box.hidden = !waiting.length && !said.textContent;
    document.querySelectorAll("form[data-queue]").forEach(function (form) {
      var kept = form.previousElementSibling;
      if (kept && kept.hasAttribute("data-kept")) kept.remove();
      var here = waiting.some(function (item) {
        return item.action === form.action.split("#")[0] && item.part === part(form) && item.state === "waiting";
      });
      if (!here) return;
      kept = document.createElement("p");
      kept.className = "notice";
      kept.setAttribute("data-kept", "");
      kept.setAttribute("role", "status");
      kept.textContent = text("saved");
      form.parentNode.insertBefore(kept, form);
    });
  }

  worker.addEventListener("message", function (event) {
    if (!event.data || event.data.type !== "outbox") return;
    mine = event.data.items.filter(function (item) { return item.owner === owner; });
    show();
  });
  function flush() { if (navigator.onLine) post({type: "flush", owner: owner}); }
  worker.ready.then(function () {
    post({type: "hello", owner: owner});
    flush();
  });
  window.addEventListener("online", flush);

  // Signing out deletes what waits on this device: said first, then a second press signs out.
  document.querySelectorAll('form[action="/account/logout/"]').forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.hasAttribute("data-warned") || !mine.some(function (item) { return item.state !== "sent"; })) return;
      event.preventDefault();
      form.setAttribute("data-warned", "");
      var warning = box.querySelector("[data-warning]");
      warning.textContent = text("signout");
      warning.hidden = false;
      box.hidden = false;
      box.scrollIntoView();
    });
  });
})();
