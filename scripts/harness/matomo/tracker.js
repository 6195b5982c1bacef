// @ts-check
// The stand-in for matomo.js: the part of its API src/assets/analytics.js
// uses. It runs the _paq queue and sends each page view to the tracker URL,
// with visitor cookies unless told disableCookies. Opting out, as the frame
// posts it ({maq_opted_in: false}), stores Matomo's first-party
// mtm_consent_removed cookie, after which it sends nothing.
(() => {
  const settings = { url: "", site: "", cookies: true };
  const optedOut = () => /(^|; )mtm_consent_removed=/.test(document.cookie);
  const forget = () => (document.cookie = "mtm_consent_removed=; max-age=0; path=/");
  /** @type {Record<string, (...args: any[]) => unknown>} */
  const tracker = {
    setTrackerUrl: (url) => (settings.url = url),
    setSiteId: (id) => (settings.site = id),
    disableCookies: () => (settings.cookies = false),
    enableLinkTracking: () => undefined,
    trackPageView: () => {
      if (optedOut()) return;
      if (settings.cookies) document.cookie = `_pk_id.${settings.site}=visitor; path=/`;
      new Image().src = `${settings.url}?idsite=${settings.site}&rec=1&url=${encodeURIComponent(location.href)}`;
    },
    forgetUserOptOut: forget,
    hasConsent: () => !optedOut(),
    getMatomoUrl: () => settings.url.replace(/matomo\.php$/, ""),
    isConsentRequired: () => false,
  };
  /** @param {[string | ((this: typeof tracker) => void), ...unknown[]]} command */
  const run = ([name, ...args]) => (typeof name === "function" ? name.call(tracker) : tracker[name]?.(...args));
  const page = /** @type {Window & { _paq?: unknown }} */ (window);
  const queued = Array.isArray(page._paq) ? page._paq : [];
  page._paq = { push: (/** @type {Parameters<typeof run>[0][]} */ ...commands) => commands.forEach(run) };
  queued.forEach(run);
  addEventListener("message", (event) => {
    const message = /^\{/.test(String(event.data)) ? JSON.parse(event.data) : {};
    if (message.maq_opted_in === false) document.cookie = `mtm_consent_removed=${Date.now()}; path=/`;
    if (message.maq_opted_in === true) forget();
  });
})();
