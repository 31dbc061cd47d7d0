// Browser notifications: registers the service worker and hands the subscription to Gerbang.
// Shown only where the browser supports Web Push; everything else works without it.
(function () {
  "use strict";
  var section = document.querySelector(".push-setup");
  var script = document.currentScript;
  if (!section || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  section.hidden = false;
  var status = section.querySelector("[data-push-status]");
  // The CSRF cookie is HttpOnly: the token is the one the page's own forms carry.
  function csrf() { var field = document.querySelector("input[name=csrfmiddlewaretoken]"); return field ? field.value : ""; }
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
        .then(function (response) {
          if (!response.ok) throw new Error("refused");
          status.textContent = script.dataset.done;
          // The device list below is written by the server: show this device in it.
          window.location.reload();
        });
    }).catch(function () { status.textContent = script.dataset.failed; });
  });
  // Mark this browser's own entry in the list of devices.
  navigator.serviceWorker.getRegistration("/sw.js").then(function (registration) {
    return registration && registration.pushManager.getSubscription();
  }).then(function (subscription) {
    if (!subscription) return;
    document.querySelectorAll("[data-device-endpoint]").forEach(function (form) {
      if (form.dataset.deviceEndpoint === subscription.endpoint) form.querySelector("[data-this-device]").hidden = false;
    });
  });
  section.querySelector('[data-push="off"]').addEventListener("click", function () {
    navigator.serviceWorker.getRegistration("/sw.js").then(function (registration) {
      return registration && registration.pushManager.getSubscription();
    }).then(function (subscription) {
      if (!subscription) return null;
      return post(section.dataset.unsubscribe, {endpoint: subscription.endpoint}).then(function () { return subscription.unsubscribe(); });
    }).then(function (changed) {
      status.textContent = script.dataset.done;
      if (changed) window.location.reload();
    });
  });
})();
