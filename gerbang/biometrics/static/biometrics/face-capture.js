// The face check's camera: shows the camera's picture, takes one frame and puts it into the
// form's file field as a JPEG, so the form sends it exactly as it sends a chosen file. Without
// this script, without a camera or without permission, the file field works alone (on a phone
// or tablet it opens the camera app). The page alone may use the camera (Permissions-Policy).
(function () {
  var box = document.getElementById("face-camera");
  var form = document.getElementById("face-form");
  if (!box || !form || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  if (typeof DataTransfer === "undefined") return;
  var video = document.getElementById("face-video");
  var preview = document.getElementById("face-preview");
  var start = document.getElementById("face-start");
  var take = document.getElementById("face-take");
  var retake = document.getElementById("face-retake");
  var status = document.getElementById("face-status");
  var input = form.elements.picture;
  var source = form.elements.source;
  var stream = null;
  box.hidden = false;

  function say(text) { status.textContent = text; }

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
  }

  function open() {
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "user", width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false })
      .then(function (opened) {
        stream = opened;
        video.hidden = false;
        preview.hidden = true;
        start.hidden = true;
        retake.hidden = true;
        // The button shows once the camera sends pictures (a frame has a size), never before.
        video.addEventListener("loadeddata", function shown() {
          video.removeEventListener("loadeddata", shown);
          take.hidden = false;
          say(box.dataset.ready);
        });
        video.srcObject = opened;
      })
      .catch(function () {
        stop();
        say(box.dataset.noCamera);
        input.focus();
      });
  }

  start.addEventListener("click", open);
  retake.addEventListener("click", open);

  take.addEventListener("click", function () {
    var width = video.videoWidth, height = video.videoHeight;
    if (!width || !height) return;
    var scale = Math.min(1, 1280 / Math.max(width, height));
    preview.width = Math.round(width * scale);
    preview.height = Math.round(height * scale);
    preview.getContext("2d").drawImage(video, 0, 0, preview.width, preview.height);
    preview.toBlob(function (blob) {
      if (!blob) return;
      var files = new DataTransfer();
      files.items.add(new File([blob], "counter.jpg", { type: "image/jpeg" }));
      input.files = files.files;
      source.value = "camera";
      stop();
      preview.hidden = false;
      take.hidden = true;
      retake.hidden = false;
      say(box.dataset.taken);
    }, "image/jpeg", 0.92);
  });

  // A file chosen by hand after a picture was taken: the form says so.
  input.addEventListener("change", function () { source.value = "file"; });
  window.addEventListener("pagehide", stop);
})();

// Liveness: the camera takes a few frames while the person answers the challenge shown above,
// puts them into the form's file field and sends them. Without it, the file field takes pictures
// chosen by hand.
(function () {
  var box = document.getElementById("liveness-camera");
  var form = document.getElementById("liveness-form");
  if (!box || !form || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  if (typeof DataTransfer === "undefined") return;
  var video = document.getElementById("liveness-video");
  var start = document.getElementById("liveness-start");
  var status = document.getElementById("liveness-status");
  var input = form.elements.frames;
  var count = parseInt(box.dataset.frames, 10) || 8;
  box.hidden = false;

  function frame(files, index, done) {
    var canvas = document.createElement("canvas");
    var scale = Math.min(1, 960 / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    canvas.toBlob(function (blob) {
      if (blob) files.items.add(new File([blob], "frame-" + index + ".jpg", { type: "image/jpeg" }));
      done();
    }, "image/jpeg", 0.9);
  }

  start.addEventListener("click", function () {
    start.disabled = true;
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "user", width: { ideal: 960 } }, audio: false })
      .then(function (stream) {
        video.hidden = false;
        status.textContent = box.dataset.recording;
        var files = new DataTransfer();
        var taken = 0;
        function next() {
          if (taken === count) {
            stream.getTracks().forEach(function (track) { track.stop(); });
            video.hidden = true;
            input.files = files.files;
            status.textContent = box.dataset.taken;
            start.disabled = false;
            return;
          }
          taken += 1;
          frame(files, taken, function () { setTimeout(next, 350); });
        }
        // The first frame once the camera sends pictures, and the person has a moment to start.
        video.addEventListener("loadeddata", function shown() {
          video.removeEventListener("loadeddata", shown);
          setTimeout(next, 700);
        });
        video.srcObject = stream;
      })
      .catch(function () {
        start.disabled = false;
        status.textContent = box.dataset.noCamera;
        input.focus();
      });
  });
})();
