// src/_data/site.json: the one place for the portal's name, origin, layout
// and Matomo settings. Templates read it as `site`; the build reads it here,
// checked, for what it derives (the opt-out frame, the tracker, the policy).
import { readFileSync } from "node:fs";
import { optOutOptionRules, type MatomoSettings } from "./matomo.ts";
import { decodeUtf8, SourceProblems, type Problem } from "./checks/problems.ts";

/** `lang`: the linked page's language, where it is not the site's. */
export type Link = { href: string; text: string; lang?: string };

/** An image with a variant for the dark theme, by file name in src/assets/brand/. */
export type ThemedImage = { light: string; dark: string };

export interface Site {
  name: string;
  /** Follows the page title in <title>. */
  title: string;
  /** Where the portal is served; links to pages this build does not make go there. */
  origin: string;
  description: string;
  themeColor: string;
  /** Who may show the portal in a frame (nginx's frame-ancestors). */
  frameAncestors: string[];
  logo: ThemedImage & { alt: string };
  /** The banner behind the page title: decorative. */
  banner: string;
  /** Wide screens show two rows; narrow screens one menu of the same links in `menuOrder`. */
  headerNavigation: { secondary: Link[]; primary: Link[]; menuOrder: string[] };
  footerNavigation: Link[];
  /** The footer's "About the portal" paragraph, in Markdown (for its links). */
  about: string;
  supporters: (ThemedImage & { name: string; href: string })[];
  /** The footer's "Stay Updated" links: an accessible name and a Bootstrap icon. */
  social: { name: string; href: string; icon: string }[];
  matomo: MatomoSettings;
}

const isText = (value: unknown) => typeof value === "string" && value.trim() !== "";
const isOrigin = (value: unknown) => /^https:\/\//.test(String(value)) && URL.parse(String(value))?.origin === value;
const isLinks = (links: unknown) => hasTexts(links, ["href", "text"]);
const hasTexts = (list: unknown, keys: string[]) =>
  Array.isArray(list) && list.every((item) => keys.every((key) => isText(item?.[key])));
const menuOrder = ({ primary = [], secondary = [], menuOrder = [] }: Partial<Site["headerNavigation"]> = {}) =>
  JSON.stringify([...primary, ...secondary].map((link) => link.href).sort()) === JSON.stringify([...menuOrder].sort());
const text = "a non-empty text";
const links = ["a list of links", '[{ "href": "/about", "text": "About" }]'] as const;
const origin = "an https: origin, no path";

/** What each key of the site data must be, and an example, where a mistake would break the page or Matomo's form. */
const rules: Record<string, [test: (site: Site) => unknown, expected: string, example: string]> = {
  ...Object.fromEntries(
    (["name", "title", "description", "themeColor", "about", "banner"] as const).map((key) => [
      key,
      [(s: Site) => isText(s[key]), text, `"…"`],
    ]),
  ),
  origin: [(s) => isOrigin(s.origin), origin, '"https://genomes.scilifelab.se"'],
  "headerNavigation.secondary": [(s) => isLinks(s.headerNavigation?.secondary), ...links],
  "headerNavigation.primary": [(s) => isLinks(s.headerNavigation?.primary), ...links],
  "headerNavigation.menuOrder": [(s) => menuOrder(s.headerNavigation), "each header href once", '["/", …]'],
  footerNavigation: [(s) => isLinks(s.footerNavigation), ...links],
  logo: [(s) => hasTexts([s.logo], ["alt", "light", "dark"]), "with alt, light and dark", '{ "alt": "…", … }'],
  supporters: [
    (s) => hasTexts(s.supporters, ["name", "href", "light", "dark"]),
    "each with name, href, light, dark",
    "[…]",
  ],
  social: [(s) => hasTexts(s.social, ["name", "href", "icon"]), "each with name, href, icon (Bootstrap's)", "[…]"],
  frameAncestors: [
    (s) => s.frameAncestors?.every((a) => a === "'self'" || isOrigin(a)),
    "'self' or https: origins",
    "[…]",
  ],
  "matomo.origin": [(s) => isOrigin(s.matomo?.origin), origin, '"https://matomo.dc.scilifelab.se"'],
  "matomo.siteId": [(s) => Number.isInteger(s.matomo?.siteId) && s.matomo.siteId > 0, "Matomo's id of the site", "11"],
  "matomo.optOutPage": [(s) => /^\/[^\s#?]*$/.test(String(s.matomo?.optOutPage)), "the form's page", '"/privacy/"'],
  "matomo.respectPrivacySignals": [
    (s) => typeof s.matomo?.respectPrivacySignals === "boolean",
    "true or false",
    "true",
  ],
  "matomo.privacySignalNotice": [(s) => isText(s.matomo?.privacySignalNotice), text, '"Your browser asks …"'],
};

/** What is wrong in site data that would break the page or make Matomo answer with an error, each on its line. */
export function siteProblems(site: Site, text: string, file: string): Problem[] {
  const lines = text.split("\n");
  /** The line of a key such as "matomo.siteId": each name looked for after the one before. */
  const lineOf = (path: string) =>
    path.split(".").reduce((from, key) => lines.findIndex((line, i) => i >= from && line.includes(`"${key}"`)), 0) +
      1 || undefined;
  const problem = (path: string, problem: string, fix: string) => ({ file, line: lineOf(path), problem, fix });
  const problems = Object.entries(rules)
    .filter(([, [test]]) => !test(site))
    .map(([path, [, expected, example]]) =>
      problem(path, `"${path}" must be ${expected}.`, `write it like ${example}.`),
    );
  // Matomo's opt-out options; those for more contrast may be left out, and the light and dark ones then serve.
  for (const key of ["optOut", "optOutDark", "optOutMoreContrast", "optOutDarkMoreContrast"] as const) {
    for (const [name, value] of Object.entries(site.matomo?.[key] ?? {})) {
      const rule = optOutOptionRules[name as keyof typeof optOutOptionRules];
      if (!rule || typeof value !== "string" || !rule.pattern.test(value))
        problems.push(
          rule
            ? problem(
                `matomo.${key}.${name}`,
                `Matomo would show an error instead of the form for "${name}": ${JSON.stringify(value)}.`,
                `write ${rule.expected}.`,
              )
            : problem(
                `matomo.${key}.${name}`,
                `"${name}" is no option of Matomo's opt-out form.`,
                `use ${Object.keys(optOutOptionRules).join(", ")}.`,
              ),
        );
    }
  }
  return problems;
}

/** The site data in `file`, checked: throws SourceProblems with every mistake. */
export function loadSite(file: string): Site {
  const text = decodeUtf8(readFileSync(file), file);
  if (typeof text !== "string") throw new SourceProblems([text]);
  let site: Site;
  try {
    site = JSON.parse(text);
  } catch (error) {
    const position = Number(/position (\d+)/.exec(String(error))?.[1]);
    const problem = `the file is not valid JSON: ${(error as Error).message}.`;
    const line = Number.isNaN(position) ? undefined : text.slice(0, position).split("\n").length;
    throw new SourceProblems([
      { file, line, problem, fix: "look for a missing comma or quote, or one comma too many." },
    ]);
  }
  const problems = siteProblems(site, text, file);
  if (problems.length > 0) throw new SourceProblems(problems);
  return site;
}
