{% load static %}// Notifications: shows a pushed message and opens its page when clicked.
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {title: "Gerbang", body: event.data.text()}; }
  event.waitUntil(self.registration.showNotification(data.title || "Gerbang", {
    body: data.body || "", icon: "{% static 'gerbang/icons/icon-192.png' %}", data: {url: data.url || "/"}
  }));
});
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  event.waitUntil(clients.openWindow(event.notification.data.url));
});
