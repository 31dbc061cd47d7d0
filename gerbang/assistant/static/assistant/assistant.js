// The assistant's question boxes answer in place: htmx posts the form and puts the answer under
// it. Without this script (or without htmx) the form posts to /bantuan/, which answers on a page.
// htmx is loaded here only when the page did not load it already (a page's own scripts run
// before DOMContentLoaded, deferred as this one is).
(function () {
  "use strict";
  var script = document.currentScript;
  var source = script && script.getAttribute("data-htmx");

  function ready() {
    var forms = document.querySelectorAll("[data-assistant-form]");
    if (!forms.length) return;
    forms.forEach(function (form) {
      var target = document.querySelector(form.getAttribute("hx-target"));
      form.addEventListener("htmx:beforeRequest", function () {
        // Screen readers hear "looking" now and the whole answer once it has arrived (a busy
        // live region is read when it is no longer busy); sighted people on a slow line see it.
        if (!target) return;
        var waiting = document.createElement("p");
        waiting.className = "muted small";
        waiting.setAttribute("role", "status");
        waiting.setAttribute("data-waiting", "");
        waiting.textContent = form.getAttribute("data-waiting") || "";
        target.replaceChildren(waiting);
        target.setAttribute("aria-busy", "true");
      });
      form.addEventListener("htmx:afterRequest", function (event) {
        if (target) target.removeAttribute("aria-busy");
        if (!event.detail.successful) return;
        // A refusal (empty, too long, too many questions) comes back as an answer with the
        // reason: the question stays in the box to be fixed.
        if (target && target.querySelector(".form-errors")) return;
        var input = form.querySelector("input[name=question]");
        if (input && form.closest(".assistant-box")) { input.value = ""; input.focus(); }
      });
      function failed() {
        // The server or the network failed: say so where the answer would be; the question
        // stays in the box.
        if (!target) return;
        var box = document.createElement("div");
        box.className = "form-errors";
        box.setAttribute("role", "alert");
        var text = document.createElement("p");
        text.textContent = form.getAttribute("data-failed") || "";
        box.appendChild(text);
        target.replaceChildren(box);
      }
      form.addEventListener("htmx:responseError", failed);
      form.addEventListener("htmx:sendError", failed);
    });
    if (window.htmx) {
      forms.forEach(function (form) { window.htmx.process(form); });
      return;
    }
    if (!source) return;
    var loader = document.createElement("script");
    loader.src = source;
    loader.onload = function () {
      // Loaded after DOMContentLoaded, htmx may not look at the page by itself.
      forms.forEach(function (form) { window.htmx.process(form); });
    };
    document.head.appendChild(loader);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
