// Matomo, from the site data only: the opt-out iframe's URL, the tracker
// script and the checks that keep Matomo from answering with an error page.
import type { Plugin } from "./eleventy.ts";

/** Display options Matomo's opt-out page takes, as query parameters. */
export interface OptOutOptions {
  fontSize?: string;
  fontFamily?: string;
  fontColor?: string;
  backgroundColor?: string;
}

export interface MatomoSettings {
  /** Where Matomo runs, such as https://matomo.dc.scilifelab.se */
  origin: string;
  siteId: number;
  /** The URL of the page that shows the opt-out form, such as /privacy/: the build refuses it without the form. */
  optOutPage: string;
  optOut: OptOutOptions;
  /** What changes in the dark theme: Matomo's form would be a light box in a dark page. */
  optOutDark: OptOutOptions;
  /** Honour Do Not Track and Global Privacy Control: no tracker at all for such browsers. */
  respectPrivacySignals: boolean;
  /** What the page tells such a visitor, next to the opt-out form. */
  privacySignalNotice: string;
}

/** The id of the paragraph that tells a visitor their browser's privacy signal is honoured. */
export const privacySignalNoticeId = "privacy-signal-notice";

/** What Matomo accepts for each opt-out option; anything else gets its error page instead of the form. */
export const optOutOptionRules: Record<keyof OptOutOptions, { pattern: RegExp; expected: string }> = {
  fontSize: { pattern: /^\d+(\.\d+)?(px|pt|em|rem|%)$/, expected: "a size such as 16px (px, pt, em, rem or %)" },
  fontFamily: { pattern: /^[\w\s,'"-]+$/, expected: "font names of letters, digits, spaces, -, commas and quotes" },
  fontColor: { pattern: /^([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, expected: "3 or 6 hex digits without #" },
  backgroundColor: { pattern: /^([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, expected: "3 or 6 hex digits without #" },
};

export type Theme = "light" | "dark";

/** The opt-out page for visitors reading in `language`, as iframe and as a page of its own, in the page's `theme`. */
export function optOutUrl(matomo: MatomoSettings, language: string, theme: Theme = "light"): string {
  const url = new URL("/index.php", matomo.origin);
  const query = new URLSearchParams({ module: "CoreAdminHome", action: "optOut", language });
  const options = theme === "dark" ? { ...matomo.optOut, ...matomo.optOutDark } : matomo.optOut;
  for (const [name, value] of Object.entries(options)) query.set(name, value);
  url.search = query.toString();
  return url.href;
}

/**
 * The tracker: a script file of our own, so the security policy needs no
 * inline script. It configures Matomo (cookieless, as on the live site) and
 * only then adds matomo.js, so the configuration is in place whenever
 * matomo.js runs, even when the browser has it cached from another portal
 * page; both loaded from the page, a cached matomo.js could run first and
 * start without a tracker.
 *
 * Opting back in through the opt-out frame: the frame posts
 * {maq_opted_in: true}, and matomo.js would answer with rememberConsentGiven,
 * which turns cookies on (_pk_id, _pk_ses) and stores a 30-year mtm_consent
 * cookie. Our listener is added before matomo.js adds its own, so it runs
 * first: it lifts the opt-out with forgetUserOptOut, which keeps cookies off,
 * confirms to the frame as matomo.js would, and stops matomo.js's handling.
 * (It pushes to window._paq, which matomo.js replaces with its tracker once
 * it runs.) Opting out stays with matomo.js: forgetConsentGiven stores only
 * the mtm_consent_removed cookie that records the choice.
 */
export function trackerScript(matomo: MatomoSettings): string {
  const configuration = [
    ["setTrackerUrl", new URL("/matomo.php", matomo.origin).href],
    ["setSiteId", String(matomo.siteId)],
    ["disableCookies"],
    ["trackPageView"],
    ["enableLinkTracking"],
  ];
  const json = JSON.stringify;
  const script = `(function () {
    "use strict";
    ${matomo.respectPrivacySignals ? `if (navigator.doNotTrack === "1" || navigator.doNotTrack === "yes" || navigator.globalPrivacyControl === true) {
      var notice = document.getElementById(${json(privacySignalNoticeId)});
      if (notice) notice.hidden = false;
      return;
    }` : ""}
    var queue = (window._paq = window._paq || []);
    ${configuration.map((command) => `queue.push(${json(command)});`).join("\n")}
    window.addEventListener("message", function (event) {
      if (event.origin !== ${json(matomo.origin)}) return;
      var data;
      try { data = JSON.parse(event.data); } catch (error) { return; }
      if (!data || data.maq_opted_in !== true) return;
      event.stopImmediatePropagation();
      window._paq.push(["forgetUserOptOut"]);
      window._paq.push([function () {
        var reply = { maq_confirm_opted_in: this.hasConsent(), maq_url: this.getMatomoUrl(), maq_optout_by_default: this.isConsentRequired() };
        event.source.postMessage(JSON.stringify(reply), event.origin);
      }]);
    });
    var library = document.createElement("script");
    library.src = ${json(new URL("/matomo.js", matomo.origin).href)};
    library.async = true;
    document.head.appendChild(library);
  })();`;
  // The indentation is for reading this source; the browser gets none.
  return `${script.replace(/\n\s*/g, "\n").replace(/\n+/g, "\n")}\n`;
}

export interface MatomoPluginOptions {
  settings: MatomoSettings;
  /** Count visits: true for the production build, false for previews. */
  tracking: boolean;
}

export const matomo: Plugin<MatomoPluginOptions> = (eleventyConfig, { settings, tracking }) => {
  eleventyConfig.addFilter("matomoOptOutUrl", (language: string, theme?: Theme) => optOutUrl(settings, language, theme));
  eleventyConfig.addGlobalData("matomoTracking", tracking);
  eleventyConfig.addGlobalData("privacySignalNoticeId", privacySignalNoticeId);
};
