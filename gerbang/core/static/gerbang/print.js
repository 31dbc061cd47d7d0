// Shows the "Print" buttons (hidden without JavaScript) where printing is possible; printing
// from the browser's menu works without them.
(function () {
  if (typeof window.print !== "function") return;
  document.querySelectorAll("#print-checklist, [data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
