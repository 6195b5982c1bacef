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
  optOut: OptOutOptions;
}

/** What Matomo accepts for each opt-out option; anything else gets its error page instead of the form. */
export const optOutOptionRules: Record<keyof OptOutOptions, { pattern: RegExp; expected: string }> = {
  fontSize: { pattern: /^\d+(\.\d+)?(px|pt|em|rem|%)$/, expected: "a size such as 16px (px, pt, em, rem or %)" },
  fontFamily: { pattern: /^[\w\s,'"-]+$/, expected: "font names of letters, digits, spaces, -, commas and quotes" },
  fontColor: { pattern: /^([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, expected: "3 or 6 hex digits without #" },
  backgroundColor: { pattern: /^([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, expected: "3 or 6 hex digits without #" },
};

/** The opt-out page for visitors reading in `language`, as iframe and as a page of its own. */
export function optOutUrl(matomo: MatomoSettings, language: string): string {
  const url = new URL("/index.php", matomo.origin);
  const query = new URLSearchParams({ module: "CoreAdminHome", action: "optOut", language });
  for (const [name, value] of Object.entries(matomo.optOut)) query.set(name, value);
  url.search = query.toString();
  return url.href;
}

/** The script library the tracker loads. */
export const trackerLibraryUrl = (matomo: MatomoSettings) => new URL("/matomo.js", matomo.origin).href;

/**
 * The tracker's configuration, served as a file of our own so the security
 * policy needs no inline script. Cookieless, as on the live site. Tracker URL
 * and site id come first, so the queue works whichever script runs first.
 */
export function trackerScript(matomo: MatomoSettings): string {
  const commands = [
    ["setTrackerUrl", new URL("/matomo.php", matomo.origin).href],
    ["setSiteId", String(matomo.siteId)],
    ["disableCookies"],
    ["trackPageView"],
    ["enableLinkTracking"],
  ];
  return `var _paq=window._paq=window._paq||[];${commands.map((c) => `_paq.push(${JSON.stringify(c)});`).join("")}\n`;
}

export interface MatomoPluginOptions {
  settings: MatomoSettings;
  /** Count visits: true for the production build, false for previews. */
  tracking: boolean;
}

export const matomo: Plugin<MatomoPluginOptions> = (eleventyConfig, { settings, tracking }) => {
  eleventyConfig.addFilter("matomoOptOutUrl", (language: string) => optOutUrl(settings, language));
  eleventyConfig.addGlobalData("matomoTracker", tracking ? { library: trackerLibraryUrl(settings) } : false);
};
