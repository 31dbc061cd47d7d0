// Gerbang's service worker (gerbang/core/pwa.py). It keeps the shell (the offline page, the
// style sheet, the icon) and the pages of the applicant's own that were opened, so they can be
// read offline, each with a note of when it was fetched; signing out empties what was kept.
// Its outbox keeps the forms sent offline (a question, a message, a document) and sends them,
// each once (their idempotency key), when the connection returns. Other apps' parts follow.
"use strict";
var VERSION = "{{ version }}";
var SHELL_CACHE = "gerbang-shell-" + VERSION;
var PAGES_CACHE = "gerbang-pages";
var SHELL = {{ shell|safe }};
var KEPT = {{ kept_prefixes|safe }};
var NEVER = {{ never_kept_prefixes|safe }};
var OFFLINE = "/offline/";
var QUEUED = {{ queued_paths|safe }}.map(function (path) { return new RegExp(path); });
var NEVER_QUEUED = {{ never_queued_fields|safe }};
var OUTBOX = "gerbang-outbox";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    return cache.addAll(SHELL);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("gerbang-shell-") === 0 && name !== SHELL_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function startsWithAny(path, prefixes) {
  return prefixes.some(function (prefix) { return path.indexOf(prefix) === 0; });
}

function kept(url) {
  return url.origin === self.location.origin && !startsWithAny(url.pathname, NEVER) &&
    startsWithAny(url.pathname, KEPT);
}

// The kept copy, shown offline: its "as of" note (hidden while online) shows.
function asKept(response) {
  return response.text().then(function (html) {
    return new Response(html.replace("data-offline-note hidden", "data-offline-note"), {
      status: 200, headers: {"Content-Type": "text/html; charset=utf-8"}
    });
  });
}

// notSent: a form that needs the connection (a payment, a booking, signing in) was sent
// offline; the page says it was neither sent nor kept.
function offlinePage(notSent) {
  return caches.open(SHELL_CACHE).then(function (cache) { return cache.match(OFFLINE); }).then(function (page) {
    if (!page) return new Response("Offline", {status: 503, headers: {"Content-Type": "text/plain"}});
    return notSent ? page.text().then(function (html) {
      return new Response(html.replace("data-not-sent hidden", "data-not-sent"), {
        status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}
      });
    }) : page;
  });
}

// The offline page is kept in the language of the pages read: when it changes (on signing in,
// or switching), the offline page is fetched again in it.
var offlineLanguage = null;
function followLanguage(response) {
  var language = response.headers.get("Content-Language");
  if (!language || language === offlineLanguage) return;
  offlineLanguage = language;
  fetch(OFFLINE, {credentials: "same-origin"}).then(function (fresh) {
    if (fresh.ok) return caches.open(SHELL_CACHE).then(function (cache) { return cache.put(OFFLINE, fresh); });
  }).catch(function () { offlineLanguage = null; });
}

function page(request, url) {
  return fetch(request).then(function (response) {
    if (response.ok) followLanguage(response);
    // Only a whole page of the person's own, as asked: not a redirect (to the sign-in page, say),
    // nor a file downloaded (a copy of one's data stays out of the cache).
    var html = (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
    if (response.ok && html && !response.redirected && response.type === "basic" && kept(url)) {
      var copy = response.clone();
      caches.open(PAGES_CACHE).then(function (cache) { return cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(PAGES_CACHE).then(function (cache) { return cache.match(request); }).then(function (hit) {
      return hit ? asKept(hit) : offlinePage();
    });
  });
}

// --- The outbox: one IndexedDB store of the forms waiting, each {owner, page, action, fields
// (files as Blobs), label, state: waiting | signin | problem | sent}; and {id: "owner"}, whose
// tag the pages last told (core.pwa.outbox_owner), so a background send knows who is signed in.
function outbox(mode, work) {
  return new Promise(function (resolve, reject) {
    var opening = indexedDB.open(OUTBOX, 1);
    opening.onupgradeneeded = function () {
      opening.result.createObjectStore("items", {keyPath: "id", autoIncrement: true});
    };
    opening.onerror = function () { reject(opening.error); };
    opening.onsuccess = function () {
      var db = opening.result, tx = db.transaction("items", mode), asked = work(tx.objectStore("items"));
      tx.oncomplete = function () { db.close(); resolve(asked && asked.result); };
      tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
    };
  });
}

function waiting() {
  return outbox("readonly", function (store) { return store.getAll(); }).then(function (all) {
    return all.filter(function (item) { return item.fields; });
  });
}

// What the pages show: each item without its data.
function tell() {
  return waiting().then(function (items) {
    var shown = items.map(function (item) {
      return {id: item.id, owner: item.owner, page: item.page, action: item.action, part: item.part,
        label: item.label, state: item.state, problem: item.problem || "", done: item.done || ""};
    });
    return self.clients.matchAll({type: "window"}).then(function (pages) {
      pages.forEach(function (page) { page.postMessage({type: "outbox", items: shown}); });
    });
  });
}

function labelOf(form) {
  var text = String(form.get("subject") || form.get("body") || "").trim();
  form.forEach(function (value) { if (!text && value && value.name) text = value.name; });
  return text.length > 80 ? text.slice(0, 79) + "…" : text;
}

// A form that could not reach the server: kept, if it may be (its address, its key), and the
// person taken back to the page they sent it from, which shows it waiting.
function keep(request, url) {
  return request.formData().then(function (form) {
    var fields = [];
    form.forEach(function (value, name) { fields.push([name, value]); });
    if (!form.get("idempotency_key") || NEVER_QUEUED.some(function (name) { return form.has(name); })) {
      return offlinePage(true);
    }
    var item = {owner: String(form.get("outbox_owner") || ""), page: request.referrer || url.href,
      action: url.href, part: String(form.get("slot") || ""), fields: fields, label: labelOf(form),
      state: "waiting", at: Date.now()};
    return outbox("readwrite", function (store) { return store.add(item); }).then(function () {
      if (self.registration.sync) self.registration.sync.register(OUTBOX).catch(function () {});
      tell();
      return Response.redirect(item.page, 303);
    });
  }).catch(function () { return offlinePage(true); });
}

function sendOrKeep(request, url) {
  var copy = request.clone();
  return fetch(request).catch(function () {
    var queued = QUEUED.some(function (path) { return path.test(url.pathname); });
    return queued ? keep(copy, url) : offlinePage(true);
  });
}

function save(item, state, problem) {
  item.state = state;
  item.problem = problem || "";
  if (state === "sent") item.fields = [];  // sent: only its label stays, until a page shows it
  return outbox("readwrite", function (store) { return store.put(item); });
}

// Why a form was refused, as the page shows it: its problems (the error summary, the form's
// own errors, each field's), else its first message for the person (role="alert", passing over the
// page's empty alert kept for later warnings).
function problemOf(response) {
  var words = function (html) { return html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim(); };
  return response.text().then(function (html) {
    // The summary or the form's errors, else each field's ("errors" under the field).
    var lists = /class="(?:form-errors[^"]*|errors)"[^>]*>([\s\S]*?)<\/div>/g;
    var items = [];
    var list;
    while ((list = lists.exec(html)) !== null) {
      var item = /<(li|p)[^>]*>([\s\S]*?)<\/\1>/g;
      var found;
      while ((found = item.exec(list[1])) !== null) if (words(found[2])) items.push(words(found[2]));
    }
    if (items.length) return items.join(" ");
    var alerts = /role="alert"[^>]*>([\s\S]*?)<\/(p|div)>/g;
    var alert;
    while ((alert = alerts.exec(html)) !== null) if (words(alert[1])) return words(alert[1]);
    return String(response.status);
  });
}

// The page's token again (the one kept may be older than the session): read from the form.
function freshToken(item) {
  return fetch(item.page, {credentials: "same-origin"}).then(function (response) { return response.text(); }).then(function (html) {
    var found = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html);
    if (found) item.fields.forEach(function (field) { if (field[0] === "csrfmiddlewaretoken") field[1] = found[1]; });
  });
}

// One item, with its key: a repeat is answered with the first result, nothing written twice.
// Rejects when the network fails (it stays waiting; Background Sync tries again).
function send(item, again) {
  var body = new FormData();
  item.fields.forEach(function (field) { body.append(field[0], field[1]); });
  return fetch(item.action, {method: "POST", body: body, credentials: "same-origin"}).then(function (response) {
    if (new URL(response.url).pathname.indexOf("/account/login") === 0) return save(item, "signin");
    if (response.status === 403 && !again) return freshToken(item).then(function () { return send(item, true); });
    if (response.ok && response.redirected) {
      item.done = response.url;  // where it went: the question, the case's documents
      return save(item, "sent");
    }
    return problemOf(response).then(function (problem) { return save(item, "problem", problem); });
  });
}

var sending = null;
// Send what waits for the person signed in (owner), one after the other; once at a time.
function flush(owner) {
  if (sending) return sending;
  sending = waiting().then(function (items) {
    return items.filter(function (item) {
      return item.owner === owner && owner && (item.state === "waiting" || item.state === "signin");
    }).reduce(function (done, item) { return done.then(function () { return send(item); }); }, Promise.resolve());
  });
  var finish = function () { sending = null; return tell(); };
  sending.then(finish, finish);
  return sending;
}

function lastOwner() {
  return outbox("readonly", function (store) { return store.get("owner"); }).then(function (meta) {
    return meta ? meta.value : "";
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === OUTBOX) event.waitUntil(lastOwner().then(flush));
});

// From the pages (pwa.js): who is signed in, send now, discard an item, one sent was shown.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  var done;
  if (data.type === "hello") {
    done = outbox("readwrite", function (store) { return store.put({id: "owner", value: data.owner || ""}); }).then(tell);
  } else if (data.type === "flush") {
    done = flush(data.owner || "").catch(function () { /* still offline: kept */ });
  } else if (data.type === "discard") {
    done = outbox("readwrite", function (store) { return store.delete(data.id); }).then(tell);
  }
  if (done) event.waitUntil(done);
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/account/logout/") {
    // Signing out: nothing of this person stays on the device, kept pages nor forms waiting.
    event.waitUntil(Promise.all([caches.delete(PAGES_CACHE), outbox("readwrite", function (store) { return store.clear(); })]));
    return;
  }
  if (request.method === "POST" && request.mode === "navigate") {
    event.respondWith(sendOrKeep(request, url));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
  }
});
{% for part in parts %}
{% include part %}{% endfor %}
