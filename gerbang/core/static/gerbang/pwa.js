// The installable app: registers the service worker (gerbang/core/pwa.py), which keeps the
// pages of one's own for reading offline. Pages work the same without it.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js").catch(function () { /* the site works without it */ });
  });
})();
