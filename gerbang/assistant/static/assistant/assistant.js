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
      form.addEventListener("htmx:afterRequest", function (event) {
        if (event.detail.successful) {
          var input = form.querySelector("input[name=question]");
          if (input && form.closest(".assistant-box")) { input.value = ""; input.focus(); }
        }
      });
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
