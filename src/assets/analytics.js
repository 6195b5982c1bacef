// @ts-check
// The tracker, in the production build only. Its settings come from the site
// data, on its own <script> tag: data-matomo-origin, data-matomo-site-id,
// data-respect-privacy-signals and data-privacy-signal-notice (the id of the
// paragraph that tells a visitor their browser's signal is honoured).
//
// A browser that sends Do Not Track or Global Privacy Control is not tracked
// at all when the site data says so: no matomo.js, no request, no cookie.
//
// Otherwise it configures Matomo (cookieless, as on the live site) and only
// then adds matomo.js, so the configuration is in place whenever matomo.js
// runs, even when the browser has it cached from another portal page; both
// loaded by the page, a cached matomo.js could run first and start without
// a tracker.
//
// Opting back in through the opt-out frame: the frame posts
// {maq_opted_in: true}, and matomo.js would answer with rememberConsentGiven,
// which turns cookies on (_pk_id, _pk_ses) and stores a 30-year mtm_consent
// cookie. This listener is added before matomo.js adds its own, so it runs
// first: it lifts the opt-out with forgetUserOptOut, which keeps cookies off,
// confirms to the frame as matomo.js would, and stops matomo.js's handling.
// (It pushes to window._paq, which matomo.js replaces with its tracker once
// it runs.) Opting out stays with matomo.js: forgetConsentGiven stores only
// the mtm_consent_removed cookie that records the choice.

/** @typedef {{ push(...commands: unknown[]): unknown }} MatomoQueue */
/** @typedef {{ hasConsent(): boolean; getMatomoUrl(): string; isConsentRequired(): boolean }} MatomoTracker */

(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var settings = script.dataset;
  var origin = settings.matomoOrigin || "";
  var browser = /** @type {Navigator & { globalPrivacyControl?: boolean }} */ (navigator);
  var asksNotToBeTracked = browser.doNotTrack === "1" || browser.doNotTrack === "yes" || browser.globalPrivacyControl === true;
  if (settings.respectPrivacySignals === "true" && asksNotToBeTracked) {
    var notice = document.getElementById(settings.privacySignalNotice || "");
    if (notice) notice.hidden = false;
    return;
  }

  var page = /** @type {Window & { _paq?: MatomoQueue }} */ (window);
  var queue = (page._paq = page._paq || []);
  queue.push(["setTrackerUrl", origin + "/matomo.php"]);
  queue.push(["setSiteId", settings.matomoSiteId]);
  queue.push(["disableCookies"]);
  queue.push(["trackPageView"]);
  queue.push(["enableLinkTracking"]);

  window.addEventListener("message", function (event) {
    if (event.origin !== origin) return;
    var data;
    try { data = JSON.parse(event.data); } catch (error) { return; }
    if (!data || data.maq_opted_in !== true) return;
    event.stopImmediatePropagation();
    var tracker = page._paq || queue;
    tracker.push(["forgetUserOptOut"]);
    tracker.push([
      /** @this {MatomoTracker} */
      function () {
        var reply = { maq_confirm_opted_in: this.hasConsent(), maq_url: this.getMatomoUrl(), maq_optout_by_default: this.isConsentRequired() };
        // The frame's window: Matomo's opt-out form.
        /** @type {Window} */ (event.source).postMessage(JSON.stringify(reply), event.origin);
      },
    ]);
  });

  var library = document.createElement("script");
  library.src = origin + "/matomo.js";
  library.async = true;
  document.head.appendChild(library);
})();
