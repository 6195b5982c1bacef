// The site data file, src/_data/site.json: the one place for the portal's
// name, origin, navigation, brand images, footer and Matomo settings. Templates read it as `site`;
// the build reads it here, checked, for what it derives at start-up.
import { existsSync } from "node:fs";
import { optOutOptionRules, type MatomoSettings, type OptOutOptions } from "./matomo.ts";
import { SourceError } from "./source-error.ts";
import { readSourceTextSync } from "./source-text.ts";

export interface Link {
  href: string;
  text: string;
  /** The language of the linked page, where it is not the site's. */
  lang?: string;
}

export interface Site {
  name: string;
  /** Follows the page title in <title>. */
  title: string;
  /** Where the portal is served; links to pages this build does not make go there. */
  origin: string;
  description: string;
  themeColor: string;
  /** Who may show the portal in a frame: 'self' and https: origins (nginx's frame-ancestors). */
  frameAncestors: string[];
  /** The header's logo lockup: its text alternative and its file for each theme, in src/assets/brand/. */
  logo: ThemedImage & { alt: string };
  /** The banner behind the page title: decorative. */
  banner: string;
  headerNavigation: HeaderNavigation;
  footerNavigation: Link[];
  /** The footer's "About the portal" paragraph, in Markdown (for its links). */
  about: string;
  /** The footer's "Supported by" logos, each a link named for the supporter. */
  supporters: (ThemedImage & { name: string; href: string })[];
  /** The footer's "Stay Updated" links: an accessible name and a Bootstrap icon. */
  social: { name: string; href: string; icon: string }[];
  matomo: MatomoSettings;
}

/** An image with a variant for the dark theme. */
export interface ThemedImage {
  light: string;
  dark: string;
}

/** Wide screens show two rows; narrow screens one menu of the same links in `menuOrder`. */
export interface HeaderNavigation {
  secondary: Link[];
  primary: Link[];
  menuOrder: string[];
}

export const siteDataFile = "src/_data/site.json";

export function loadSite(file = siteDataFile): Site {
  if (!existsSync(file))
    throw new SourceError(
      file,
      undefined,
      "the site data file cannot be read.",
      `create it; the project's own is ${siteDataFile}.`,
    );
  const text = readSourceTextSync(file);
  return checkSite(parseJson(text, file), text, file);
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = Number(/position (\d+)/.exec(String(error))?.[1] ?? NaN);
    const line = Number.isNaN(position) ? undefined : text.slice(0, position).split("\n").length;
    throw new SourceError(
      file,
      line,
      `the file is not valid JSON: ${(error as Error).message}.`,
      "check for a missing comma or quote, or a comma after the last entry.",
    );
  }
}

/** Checks the parts of the site data a mistake in which would break the page or Matomo. */
export function checkSite(data: unknown, text: string, file: string): Site {
  const lines = text.split("\n");
  /** The line of a key such as "matomo.siteId": each name looked for after the one before. */
  const lineOf = (path: string) => {
    let index = 0;
    for (const key of path.split(".")) {
      index = lines.findIndex((line, i) => i >= index && line.includes(`"${key}"`));
      if (index === -1) return undefined;
    }
    return index + 1;
  };
  const fail = (path: string, problem: string, fix: string): never => {
    throw new SourceError(file, lineOf(path), problem, fix);
  };
  const site = data as Site;

  for (const key of ["name", "title", "origin", "description", "themeColor", "about"] as const) {
    if (typeof site?.[key] !== "string" || site[key] === "")
      fail(key, `"${key}" must be a non-empty text.`, `give "${key}" a value in quotes.`);
  }
  checkOrigin(site.origin, "origin", fail);
  const isLinkList = (links: unknown): links is Link[] =>
    Array.isArray(links) && links.every((link) => typeof link?.href === "string" && typeof link?.text === "string");
  const header = site.headerNavigation;
  for (const [path, links] of [
    ["headerNavigation.secondary", header?.secondary],
    ["headerNavigation.primary", header?.primary],
    ["footerNavigation", site.footerNavigation],
  ] as const) {
    if (!isLinkList(links))
      fail(path, `"${path}" must be a list of links.`, `write each link as { "href": "/about", "text": "About" }.`);
  }
  const headerHrefs = [...header.secondary, ...header.primary].map((link) => link.href).sort();
  if (
    !Array.isArray(header.menuOrder) ||
    JSON.stringify([...header.menuOrder].sort()) !== JSON.stringify(headerHrefs)
  ) {
    fail(
      "headerNavigation.menuOrder",
      `"menuOrder" must list each header link's href once: ${headerHrefs.join(", ")}.`,
      "write the narrow screens' menu order as a list of those hrefs.",
    );
  }
  const isText = (value: unknown) => typeof value === "string" && value.trim() !== "";
  if (!isText(site.logo?.alt) || !isText(site.logo?.light) || !isText(site.logo?.dark) || !isText(site.banner)) {
    fail(
      "logo",
      `"logo" needs "alt", "light" and "dark", and "banner" a file name.`,
      `write "logo": { "alt": "…, home", "light": "srgp_logo.webp", "dark": "srgp_logo_dark.webp" }.`,
    );
  }
  if (
    !Array.isArray(site.supporters) ||
    !site.supporters.every((s) => isText(s?.name) && isText(s?.href) && isText(s?.light) && isText(s?.dark))
  ) {
    fail(
      "supporters",
      `each of "supporters" needs "name", "href", "light" and "dark".`,
      `write { "name": "SciLifeLab", "href": "https://www.scilifelab.se/", "light": "…", "dark": "…" }.`,
    );
  }
  if (
    !Array.isArray(site.social) ||
    !site.social.every((s) => isText(s?.name) && isText(s?.href) && /^[a-z0-9-]+$/.test(s?.icon ?? ""))
  ) {
    fail(
      "social",
      `each of "social" needs "name", "href" and "icon" (a Bootstrap Icons name).`,
      `write { "name": "SciLifeLab on X", "href": "https://x.com/scilifelab", "icon": "twitter-x" }.`,
    );
  }

  const ancestors = site.frameAncestors;
  if (
    !Array.isArray(ancestors) ||
    !ancestors.every(
      (a) => a === "'self'" || a === "'none'" || (typeof a === "string" && /^https:\/\/[a-z0-9.-]+(:\d+)?$/.test(a)),
    )
  ) {
    fail(
      "frameAncestors",
      `"frameAncestors" must list "'self'", "'none'" or https: origins.`,
      `write it like "frameAncestors": ["'self'", "https://plantgenie.upsc.se"].`,
    );
  }

  const matomo = site.matomo;
  if (typeof matomo !== "object" || matomo === null)
    fail("matomo", `"matomo" is missing.`, `add "matomo": { "origin": …, "siteId": …, "optOut": {} }.`);
  checkOrigin(matomo.origin, "matomo.origin", fail);
  if (!Number.isInteger(matomo.siteId) || matomo.siteId < 1) {
    fail(
      "matomo.siteId",
      `Matomo's "siteId" must be a positive whole number, but it is ${JSON.stringify(matomo.siteId)}.`,
      `write the site id Matomo shows under Websites, such as "siteId": 11.`,
    );
  }
  if (typeof matomo.optOutPage !== "string" || !/^\/[^\s#?]*$/.test(matomo.optOutPage)) {
    fail(
      "matomo.optOutPage",
      `"optOutPage" must be the URL of the page that shows the opt-out form, such as "/privacy/".`,
      `write "optOutPage": "/privacy/".`,
    );
  }
  for (const key of ["optOut", "optOutDark", "optOutMoreContrast", "optOutDarkMoreContrast"] as const) {
    // The more-contrast options may be left out: the light and dark ones then serve.
    if (key.endsWith("MoreContrast") && matomo[key] === undefined) continue;
    const options = matomo[key];
    if (typeof options !== "object" || options === null)
      fail(
        `matomo.${key}`,
        `"${key}" must be an object.`,
        `write "${key}": { "fontSize": "16px" }, or {} for Matomo's defaults.`,
      );
    for (const [name, value] of Object.entries(options ?? {})) {
      const rule = optOutOptionRules[name as keyof OptOutOptions];
      if (!rule)
        fail(
          `matomo.${key}.${name}`,
          `"${name}" is not an option of Matomo's opt-out page.`,
          `use only ${Object.keys(optOutOptionRules).join(", ")}.`,
        );
      if (typeof value !== "string" || !rule.pattern.test(value)) {
        fail(
          `matomo.${key}.${name}`,
          `Matomo would reject ${JSON.stringify(value)} as "${name}" and show an error instead of the opt-out form.`,
          `write ${rule.expected}.`,
        );
      }
    }
  }
  if (typeof matomo.respectPrivacySignals !== "boolean") {
    fail(
      "matomo.respectPrivacySignals",
      `"respectPrivacySignals" must be true or false.`,
      `write "respectPrivacySignals": true to count no visit from browsers that send Do Not Track or Global Privacy Control.`,
    );
  }
  if (typeof matomo.privacySignalNotice !== "string" || matomo.privacySignalNotice.trim() === "") {
    fail(
      "matomo.privacySignalNotice",
      `"privacySignalNotice" must be a non-empty text.`,
      "write the sentence the page shows to a visitor whose browser asks not to be tracked.",
    );
  }
  return site;
}

function checkOrigin(value: unknown, path: string, fail: (path: string, problem: string, fix: string) => never): void {
  let origin: string | undefined;
  try {
    origin = new URL(String(value)).origin;
  } catch {
    // Not a URL at all: reported below.
  }
  if (typeof value !== "string" || !value.startsWith("https://") || origin !== value) {
    fail(
      path,
      `"${path}" must be an https: origin, without a path or a slash at the end, but it is ${JSON.stringify(value)}.`,
      `write it like "https://example.org".`,
    );
  }
}
