// "Nearest to me": asks the browser for its position and resubmits the search with it.
// The page works without this script (and without location): it only adds the button and its
// note, both hidden until then (a regency or province is searched by name instead).
(function () {
  var button = document.getElementById("near-me");
  var form = document.getElementById("office-search");
  if (!button || !form || !("geolocation" in navigator)) return;
  button.hidden = false;
  var help = document.getElementById("near-me-help");
  if (help) help.hidden = false;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(4);
        form.elements.lng.value = position.coords.longitude.toFixed(4);
        form.submit();
      },
      function () {
        button.insertAdjacentHTML("afterend", '<p class="errors" role="alert"></p>');
        button.nextElementSibling.textContent = button.dataset.error;
      },
      { timeout: 10000, maximumAge: 600000 }
    );
  });
})();
