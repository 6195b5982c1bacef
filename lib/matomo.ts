// Matomo, from the site data only: the opt-out frame's URLs in each theme,
// the tracker's settings (src/assets/analytics.js reads them from its
// <script> tag) and the rules Matomo holds the frame's options to.
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
  /** What changes, over the light and the dark options, where the system asks for more contrast. */
  optOutMoreContrast?: OptOutOptions;
  optOutDarkMoreContrast?: OptOutOptions;
  /** Honour Do Not Track and Global Privacy Control: no tracker at all for such browsers. */
  respectPrivacySignals: boolean;
  /** What the page tells such a visitor, next to the opt-out form. */
  privacySignalNotice: string;
}

/** The id of the paragraph that tells a visitor their browser's privacy signal is honoured. */
export const privacySignalNoticeId = "privacy-signal-notice";

const hexColour = { pattern: /^([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, expected: "3 or 6 hex digits without #" };
/** What Matomo accepts for each option; anything else gets its error page instead of the form. */
export const optOutOptionRules: Record<keyof OptOutOptions, { pattern: RegExp; expected: string }> = {
  fontSize: { pattern: /^\d+(\.\d+)?(px|pt|em|rem|%)$/, expected: "a size such as 16px (px, pt, em, rem or %)" },
  fontFamily: { pattern: /^[\w\s,'"-]+$/, expected: "font names of letters, digits, spaces, -, commas and quotes" },
  fontColor: hexColour,
  backgroundColor: hexColour,
};

export type Theme = "light" | "dark";

/** The opt-out page in `language` and the page's `theme`, with more contrast where the system asks for it. */
export function optOutUrl(matomo: MatomoSettings, language: string, theme: Theme = "light", more = false): string {
  const dark = theme === "dark";
  const options = dark
    ? { ...matomo.optOut, ...matomo.optOutDark, ...(more ? matomo.optOutDarkMoreContrast : {}) }
    : { ...matomo.optOut, ...(more ? matomo.optOutMoreContrast : {}) };
  const query = new URLSearchParams({ module: "CoreAdminHome", action: "optOut", language, ...options });
  return `${matomo.origin}/index.php?${query}`;
}

/** The tracker's settings as data attributes of its <script> tag (analytics.js reads `dataset.matomoOrigin`, ...). */
export function trackerAttributes(matomo: MatomoSettings): string {
  const settings = {
    "matomo-origin": matomo.origin,
    "matomo-site-id": String(matomo.siteId),
    "respect-privacy-signals": String(matomo.respectPrivacySignals),
    "privacy-signal-notice": privacySignalNoticeId,
  };
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
  return Object.entries(settings)
    .map(([name, value]) => `data-${name}="${escape(value)}"`)
    .join(" ");
}

/** `tracking`: count visits (the production build); previews never do. */
export const matomo: Plugin<{ settings: MatomoSettings; tracking: boolean }> = (eleventyConfig, options) => {
  const { settings, tracking } = options;
  const url = (language: string, theme?: Theme, more?: boolean) => optOutUrl(settings, language, theme, more);
  eleventyConfig.addFilter("matomoOptOutUrl", url);
  eleventyConfig.addGlobalData("matomoTracking", tracking);
  eleventyConfig.addGlobalData("privacySignalNoticeId", privacySignalNoticeId);
  eleventyConfig.addGlobalData("trackerAttributes", trackerAttributes(settings));
};
