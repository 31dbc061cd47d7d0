// Shows the time left before a deadline ("1:59:30 left"), counting down each second. The
// deadline itself is in the page as text; this is only a visual aid.
(function () {
  "use strict";
  var started = Date.now();
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var left = Math.max(0, parseInt(el.getAttribute("data-countdown"), 10) - Math.floor((Date.now() - started) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      el.textContent = "(" + h + ":" + pad(m) + ":" + pad(s) + ")";
    });
  }
  tick();
  setInterval(tick, 1000);
  document.body.addEventListener("htmx:afterSwap", function () { started = Date.now(); tick(); });
})();
