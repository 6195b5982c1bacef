// The stand-in for the opt-out frame's script, written for these tests from
// what Matomo's plugins/CoreAdminHome/javascripts/optOut.js does (read, not
// copied): it asks the page for its first-party state (maq_initial_value)
// until the page answers; on a click it tells the page (maq_opted_in), then
// opens the form's URL with a fresh nonce in a popup, which toggles Matomo's
// ignore cookie and hands the frame the next nonce. A popup that does not
// open shows Matomo's "popup was blocked" warning.
// Browser code: type-checked by scripts/harness/matomo/tsconfig.json, run in Chromium.
(function () {
  "use strict";
  var checkbox = /** @type {HTMLInputElement | null} */ (document.getElementById("trackVisits"));
  if (!checkbox) return;
  var form = checkbox.form;

  function hostOf(url) {
    var match = /^(?:https?:)?\/*(?:[^@/]+@)?([^:/#?]+)/.exec(url);
    return match ? match[1] : url;
  }
  function dataFor(event) {
    var data;
    try {
      data = JSON.parse(event.data);
    } catch (error) {
      return false;
    }
    return data && data.maq_url && hostOf(data.maq_url) === hostOf(location.href) ? data : false;
  }
  function show(id) {
    document.getElementById(id).style.display = "block";
  }
  function showText(optedIn) {
    document.getElementById("textOptOut").style.display = optedIn ? "block" : "none";
    document.getElementById("textOptIn").style.display = optedIn ? "none" : "block";
    document.getElementById("labelOptOut").style.display = optedIn ? "inline" : "none";
    document.getElementById("labelOptIn").style.display = optedIn ? "none" : "inline";
    checkbox.checked = optedIn;
  }
  // optOut.js warns of a failed change only on http:.
  function warnIfHttp() {
    if (location.protocol === "http:") show("textError_https");
  }

  var initiallyChecked = checkbox.checked;
  var attempts = 0;
  var asking = setInterval(function () {
    parent.postMessage(JSON.stringify({ maq_initial_value: initiallyChecked }), "*");
    if (++attempts > 1200) clearInterval(asking);
  }, 150);

  window.addEventListener("message", function (event) {
    var data = dataFor(event);
    if (data && data.maq_opted_in !== undefined && data.maq_optout_by_default !== undefined) {
      clearInterval(asking);
      showText(data.maq_opted_in);
      // For the tests, not Matomo's: the page has answered, so the form shows the page's state.
      document.documentElement.setAttribute("data-page-answered", "");
    }
  });

  checkbox.addEventListener("click", function () {
    var optedIn = checkbox.checked;
    var confirmed = null;
    window.addEventListener("message", function (event) {
      var data = dataFor(event);
      if (!data || data.maq_confirm_opted_in === undefined) return;
      confirmed = checkbox.checked === data.maq_confirm_opted_in;
      if (!confirmed) warnIfHttp();
    });
    parent.postMessage(JSON.stringify({ maq_opted_in: optedIn }), "*");
    showText(optedIn);

    var popup = window.open(form.action + "&time=" + Date.now());
    if (!popup) {
      show("textError_popupBlocker");
      return;
    }
    var watching = setInterval(function () {
      if (!popup.closed) return;
      clearInterval(watching);
      if (!confirmed) warnIfHttp();
    }, 200);
  });
})();
