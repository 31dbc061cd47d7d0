// The signature pad of an assisted application's consent (back office). Without JavaScript the
// pad stays hidden and the officer uploads the scan of the signed printed form instead.
(function () {
  "use strict";
  var pad = document.querySelector("[data-signature-pad]");
  var form = pad && pad.closest("form");
  if (!pad || !form) return;
  var canvas = pad.querySelector("[data-signature-canvas]");
  var field = form.querySelector("input[name=signature]");
  var clear = pad.querySelector("[data-signature-clear]");
  var radios = form.querySelectorAll("input[name=consent_method]");
  var context = canvas.getContext("2d");
  var drawing = false;
  var drawn = false;
  pad.hidden = false;
  context.lineWidth = 3;
  context.lineCap = "round";
  context.lineJoin = "round";
  context.strokeStyle = "#111";

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return {
      x: (event.clientX - box.left) * (canvas.width / box.width),
      y: (event.clientY - box.top) * (canvas.height / box.height),
    };
  }
  function showFor() {
    var chosen = form.querySelector("input[name=consent_method]:checked");
    pad.hidden = chosen ? chosen.value !== "signature" : false;
  }
  canvas.addEventListener("pointerdown", function (event) {
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    var p = point(event);
    context.beginPath();
    context.moveTo(p.x, p.y);
    context.lineTo(p.x + 0.1, p.y + 0.1);
    context.stroke();
    drawn = true;
    event.preventDefault();
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) return;
    var p = point(event);
    context.lineTo(p.x, p.y);
    context.stroke();
    event.preventDefault();
  });
  function stop() {
    if (!drawing) return;
    drawing = false;
    field.value = drawn ? canvas.toDataURL("image/png") : "";
  }
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  canvas.style.touchAction = "none";
  clear.addEventListener("click", function () {
    context.clearRect(0, 0, canvas.width, canvas.height);
    drawn = false;
    field.value = "";
  });
  // A form refused for another reason comes back with the signature kept: show it again.
  if (field.value.indexOf("data:image/png;base64,") === 0) {
    var kept = new Image();
    kept.onload = function () {
      context.drawImage(kept, 0, 0, canvas.width, canvas.height);
      drawn = true;
    };
    kept.src = field.value;
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", showFor);
  });
  showFor();
})();
