// Matomo, from the site data only: the opt-out iframe's URLs, the tracker's
// settings (src/assets/analytics.js reads them from its <script> tag) and the
// checks that keep Matomo from answering with an error page.
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
  /** What changes, over the light and the dark options, where the system asks for more contrast (prefers-contrast: more). */
  optOutMoreContrast?: OptOutOptions;
  optOutDarkMoreContrast?: OptOutOptions;
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

/**
 * The opt-out page for visitors reading in `language`, as iframe and as a page of its own, in the page's `theme`,
 * with more contrast where the system asks for it.
 */
export function optOutUrl(
  matomo: MatomoSettings,
  language: string,
  theme: Theme = "light",
  moreContrast = false,
): string {
  const url = new URL("/index.php", matomo.origin);
  const query = new URLSearchParams({ module: "CoreAdminHome", action: "optOut", language });
  const options =
    theme === "dark"
      ? { ...matomo.optOut, ...matomo.optOutDark, ...(moreContrast ? matomo.optOutDarkMoreContrast : {}) }
      : { ...matomo.optOut, ...(moreContrast ? matomo.optOutMoreContrast : {}) };
  for (const [name, value] of Object.entries(options)) query.set(name, value);
  url.search = query.toString();
  return url.href;
}

/**
 * The tracker's settings, as the data attributes of its <script> tag, where
 * src/assets/analytics.js reads them (as `dataset.matomoOrigin`, ...).
 */
export function trackerDataset(matomo: MatomoSettings): Record<string, string> {
  return {
    matomoOrigin: matomo.origin,
    matomoSiteId: String(matomo.siteId),
    respectPrivacySignals: String(matomo.respectPrivacySignals),
    privacySignalNotice: privacySignalNoticeId,
  };
}

/** `dataset` written as HTML attributes: matomoSiteId as data-matomo-site-id="11". */
export function dataAttributes(dataset: Record<string, string>): string {
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
  return Object.entries(dataset)
    .map(([name, value]) => `data-${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}="${escape(value)}"`)
    .join(" ");
}

export interface MatomoPluginOptions {
  settings: MatomoSettings;
  /** Count visits: true for the production build, false for previews. */
  tracking: boolean;
}

export const matomo: Plugin<MatomoPluginOptions> = (eleventyConfig, { settings, tracking }) => {
  eleventyConfig.addFilter("matomoOptOutUrl", (language: string, theme?: Theme, moreContrast?: boolean) =>
    optOutUrl(settings, language, theme, moreContrast),
  );
  eleventyConfig.addGlobalData("matomoTracking", tracking);
  eleventyConfig.addGlobalData("privacySignalNoticeId", privacySignalNoticeId);
  eleventyConfig.addGlobalData("trackerAttributes", dataAttributes(trackerDataset(settings)));
};
