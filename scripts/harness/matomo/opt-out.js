// @ts-check
// The stand-in for Matomo's opt-out frame: a click on its box tells the page
// (maq_opted_in), as Matomo's optOut.js does, and opens the popup in which
// Matomo sets its own cookie; the popup closes at once.
(function () {
  if (/[?&]popup=/.test(location.search)) return window.close();
  var box = /** @type {HTMLInputElement} */ (document.getElementById("trackVisits"));
  box.addEventListener("change", function () {
    parent.postMessage(JSON.stringify({ maq_opted_in: box.checked }), "*");
    var popup = window.open(location.href + "&popup=1");
    document.documentElement.setAttribute("data-popup", popup ? "opened" : "blocked");
  });
})();
