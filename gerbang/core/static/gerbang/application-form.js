// Application forms: show a question only when the answer it depends on asks for it.
// Without JavaScript every question shows, each saying when it applies; the server checks
// only the questions that apply.
(function () {
  "use strict";
  function valueOf(form, name) {
    var checked = form.querySelector('[name="' + name + '"]:checked');
    if (checked) return checked.value;
    var input = form.querySelector('[name="' + name + '"]:not([type="radio"])');
    return input ? input.value : "";
  }
  function refresh(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (input) {
      var rule = input.getAttribute("data-show-if").split("=");
      var shown = rule[1].split(",").indexOf(valueOf(form, rule[0])) !== -1;
      var slot = input.closest(".field-slot");
      if (slot) slot.hidden = !shown;
    });
  }
  document.querySelectorAll("form.application-form").forEach(function (form) {
    refresh(form);
    form.addEventListener("change", function () { refresh(form); });
    document.body.addEventListener("htmx:afterSwap", function () { refresh(form); });
  });
})();
