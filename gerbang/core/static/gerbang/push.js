// Browser notifications: registers the service worker and hands the subscription to Gerbang.
// Shown only where the browser supports Web Push; everything else works without it.
(function () {
  "use strict";
  var section = document.querySelector(".push-setup");
  var script = document.currentScript;
  if (!section || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  section.hidden = false;
  var status = section.querySelector("[data-push-status]");
  function csrf() { var m = document.cookie.match(/csrftoken=([^;]+)/); return m ? m[1] : ""; }
  function key(b64) {
    var padded = (b64 + "===".slice((b64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), function (c) { return c.charCodeAt(0); });
  }
  function post(url, body) {
    return fetch(url, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()}, body: JSON.stringify(body)});
  }
  section.querySelector('[data-push="on"]').addEventListener("click", function () {
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { status.textContent = script.dataset.denied; return null; }
      return navigator.serviceWorker.register("/sw.js").then(function (registration) {
        return registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: key(section.dataset.key)});
      }).then(function (subscription) { return post(section.dataset.subscribe, subscription.toJSON()); })
        .then(function () { status.textContent = script.dataset.done; });
    }).catch(function () { status.textContent = script.dataset.failed; });
  });
  section.querySelector('[data-push="off"]').addEventListener("click", function () {
    navigator.serviceWorker.getRegistration("/sw.js").then(function (registration) {
      return registration && registration.pushManager.getSubscription();
    }).then(function (subscription) {
      if (!subscription) return null;
      return post(section.dataset.unsubscribe, {endpoint: subscription.endpoint}).then(function () { return subscription.unsubscribe(); });
    }).then(function () { status.textContent = script.dataset.done; });
  });
})();
