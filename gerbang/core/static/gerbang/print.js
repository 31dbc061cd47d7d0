// Shows the "Print or save as PDF" button where printing is possible; printing works without it.
(function () {
  var button = document.getElementById("print-checklist");
  if (!button || typeof window.print !== "function") return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
