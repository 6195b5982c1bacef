// @ts-check
// The stand-in for matomo.js: the part of its API src/assets/analytics.js
// uses. It runs the _paq queue and sends each page view to the tracker URL,
// with visitor cookies unless told disableCookies. Opting out, as the frame
// posts it ({maq_opted_in: false}), stores Matomo's first-party
// mtm_consent_removed cookie, after which it sends nothing.
(function () {
  var settings = { url: "", site: "", cookies: true };
  var optedOut = function () {
    return /(^|; )mtm_consent_removed=/.test(document.cookie);
  };
  /** @type {Record<string, Function>} */
  var tracker = {
    setTrackerUrl: function (/** @type {string} */ url) {
      settings.url = url;
    },
    setSiteId: function (/** @type {string} */ id) {
      settings.site = id;
    },
    disableCookies: function () {
      settings.cookies = false;
    },
    enableLinkTracking: function () {},
    trackPageView: function () {
      if (optedOut()) return;
      if (settings.cookies) document.cookie = "_pk_id." + settings.site + "=visitor; path=/";
      new Image().src = settings.url + "?idsite=" + settings.site + "&rec=1&url=" + encodeURIComponent(location.href);
    },
    forgetUserOptOut: function () {
      document.cookie = "mtm_consent_removed=; max-age=0; path=/";
    },
    hasConsent: function () {
      return !optedOut();
    },
    getMatomoUrl: function () {
      return settings.url.replace(/matomo\.php$/, "");
    },
    isConsentRequired: function () {
      return false;
    },
  };
  /** @param {[string | Function, ...unknown[]]} command */
  function run(command) {
    if (typeof command[0] === "function") command[0].call(tracker);
    else tracker[command[0]].apply(tracker, command.slice(1));
  }
  var page =
    /** @type {Window & { _paq?: { push(...commands: [string | Function, ...unknown[]][]): void } | [string | Function, ...unknown[]][] }} */ (
      window
    );
  var queued = Array.isArray(page._paq) ? page._paq : [];
  page._paq = {
    push: function () {
      for (var i = 0; i < arguments.length; i++) run(arguments[i]);
    },
  };
  queued.forEach(run);
  window.addEventListener("message", function (event) {
    var data;
    try {
      data = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    if (data && data.maq_opted_in === false) document.cookie = "mtm_consent_removed=" + Date.now() + "; path=/";
    if (data && data.maq_opted_in === true) tracker.forgetUserOptOut();
  });
})();
