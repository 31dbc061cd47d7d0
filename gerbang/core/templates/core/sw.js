// Gerbang's service worker (gerbang/core/pwa.py). It keeps the shell (the offline page, the
// style sheet, the icon) and the pages of the applicant's own that were opened, so they can be
// read offline, each with a note of when it was fetched; signing out empties what was kept.
// Other apps' parts follow (push messages, say).
"use strict";
var VERSION = "{{ version }}";
var SHELL_CACHE = "gerbang-shell-" + VERSION;
var PAGES_CACHE = "gerbang-pages";
var SHELL = {{ shell|safe }};
var KEPT = {{ kept_prefixes|safe }};
var NEVER = {{ never_kept_prefixes|safe }};
var OFFLINE = "/offline/";

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

function offlinePage() {
  return caches.open(SHELL_CACHE).then(function (cache) { return cache.match(OFFLINE); }).then(function (page) {
    return page || new Response("Offline", {status: 503, headers: {"Content-Type": "text/plain"}});
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

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/account/logout/") {
    // Signing out: nothing of this person stays on the device.
    event.waitUntil(caches.delete(PAGES_CACHE));
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
