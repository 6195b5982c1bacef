// markdownlint's configuration for the pages, shared by `npm run lint`
// (.markdownlint-cli2.mjs) and the build: the portal's rules, raw HTML kept
// to text-level elements, and custom rules (markdownlint's documented API)
// for what a reader would meet that its own rules miss.
import type { Configuration, LintError, MicromarkToken, Rule } from "markdownlint";
import { relative, sep } from "node:path";
import type { Site } from "../site.ts";
import type { Problem } from "./problems.ts";

/** Elements a page's raw HTML may use: text-level markup. Scripts, styles, frames and forms belong to the layout. */
export const allowedElements =
  "a abbr b br cite code del dfn em i img ins kbd mark q s small span strong sub sup time u".split(" ");

/** The line that places the opt-out form (_includes/matomo-opt-out.njk). */
export const optOutInclude = /\{%-?\s*include\s+["']matomo-opt-out\.njk["']\s*-?%\}/;

/** The URL Eleventy gives a Markdown page: its permalink, or its path as a folder (index.md is its folder's). */
export function pageUrl(input: string, file: string, permalink?: unknown): string {
  if (typeof permalink === "string") return permalink.replace(/index\.html$/, "");
  const path = relative(input, file)
    .replaceAll(sep, "/")
    .replace(/\.md$/, "")
    .replace(/(^|\/)index$/, "");
  return path ? `/${path}/` : "/";
}

/** A link or an image, Markdown or raw HTML, on its line after the front matter; a Markdown link's words, an image's alt. */
type Reference = { image: boolean; url: string; line: number; words?: string };

/** The first token of `type` inside `token`. */
const inside = (token: MicromarkToken, type: string): MicromarkToken | undefined =>
  token.children.find((child) => child.type === type) ??
  token.children.map((child) => inside(child, type)).find(Boolean);

/** The page's links and images, from the tokens markdownlint's own rules read (micromark's); once a page, for every rule. */
const found = new WeakMap<readonly MicromarkToken[], Reference[]>();
const pageReferences = (tokens: readonly MicromarkToken[]) =>
  found.get(tokens) ?? found.set(tokens, references(tokens)).get(tokens)!;

function references(tokens: readonly MicromarkToken[]): Reference[] {
  return tokens.flatMap((token): Reference[] => {
    const { type, text, startLine: line } = token;
    if (type === "htmlText") {
      const attributes = text.matchAll(/\s(href|src)\s*=\s*(["'])(.*?)\2/gis);
      return [...attributes].map(([, name, , url]) => ({ image: /src/i.test(name!), url: url!, line }));
    }
    const url = type === "link" || type === "image" ? inside(token, "resourceDestinationString")?.text : undefined;
    if (url !== undefined)
      return [{ image: type === "image", url, line, words: inside(token, "labelText")?.text ?? "" }];
    return references(token.children);
  });
}

type Check = (reference: Reference, all: Reference[], origin: string) => boolean | undefined;
const hostOf = (url: string) => URL.parse(url)?.hostname;

/** Custom rules over the links and images: name, what is wrong, the fix, and the check. */
const referenceRules: [string, string, string, Check][] = [
  [
    "link-words",
    'A link needs words: a screen reader would announce a bare "link"',
    "write the words a reader should see between the brackets: [where it goes](…).",
    ({ image, words }) => !image && words?.trim() === "",
  ],
  [
    "same-origin-images",
    "Images come from this site: the security policy blocks others, and their site would learn of every visit",
    "link to the image instead: [what it shows](…).",
    ({ image, url }, _, origin) => image && /^https?:/i.test(url) && URL.parse(url)?.origin !== origin,
  ],
  [
    "https-links",
    "A link to a site served over https: must use it, or the reader's visit is not encrypted",
    "write the address with https: instead of http:.",
    ({ url }, all, origin) =>
      /^http:/i.test(url) &&
      [origin, ...all.map((r) => r.url)].some((other) => /^https:/i.test(other) && hostOf(other) === hostOf(url)),
  ],
  [
    "mailto-address",
    "A mailto: link needs an e-mail address",
    "write the address after mailto:, such as mailto:name@example.org.",
    ({ url }) => /^mailto:/i.test(url) && !decodeURIComponent(url).includes("@"),
  ],
];

/** Script URLs and event handlers, after the character references that could hide them (&#106;avascript:). */
const scripts = /(?:\]\(\s*<?|<|\s(?:href|src|action|data)\s*=\s*["']?)\s*((?:java|vb)script:|data:)|\s(on[a-z]+)\s*=/i;
const decoded = (line: string) =>
  line.replace(/&#(x?)(\w+);?/gi, (_, x, n) => String.fromCodePoint(parseInt(n, x ? 16 : 10) % 0x110000));

const customRules: Rule[] = [
  ...referenceRules.map(([name, description, , check]): Rule => ({
    names: [name],
    description,
    tags: ["links"],
    parser: "micromark",
    function: ({ parsers, config }, onError) => {
      const all = pageReferences(parsers.micromark.tokens);
      for (const { line, url } of all.filter((found) => check(found, all, config.origin)))
        onError({ lineNumber: line, detail: url });
    },
  })),
  {
    names: ["no-script"],
    description: "Page content runs no scripts: no javascript:, vbscript: or data: URLs, no on…= attributes",
    tags: ["html"],
    parser: "none",
    function: ({ lines }, onError) =>
      lines.forEach((line, i) => {
        const found = scripts.exec(decoded(line));
        if (found) onError({ lineNumber: i + 1, detail: found[1] ?? `${found[2]}=` });
      }),
  },
  {
    names: ["opt-out-once"],
    description: "The opt-out page shows Matomo's opt-out form exactly once",
    tags: ["matomo"],
    parser: "none",
    function: ({ name, lines, frontMatterLines, config }, onError) => {
      const permalink = frontMatterLines.map((line) => /^permalink:\s*["']?([^"'\s]+)/.exec(line)?.[1]).find(Boolean);
      if (pageUrl(config.input, name, permalink) !== config.optOutPage) return;
      const at = lines.flatMap((line, i) => (optOutInclude.test(line) ? [i + 1] : []));
      if (at.length !== 1) onError({ lineNumber: at[1] ?? 1, detail: `${at.length} times` });
    },
  },
];

/** What markdownlint needs to check the pages of `input` (the input folder) against `site`. */
export function lintOptions(site: Site, input: string): { config: Configuration; customRules: Rule[] } {
  const origin = { origin: site.origin };
  return {
    config: {
      // The portal's settings (its pre-commit hook's .github/.markdownlint.yaml), but for raw HTML.
      default: true,
      "line-length": false,
      "fenced-code-language": false,
      "no-inline-html": { allowed_elements: allowedElements },
      ...Object.fromEntries(referenceRules.map(([name]) => [name, origin])),
      "opt-out-once": { optOutPage: site.matomo.optOutPage, input },
    },
    customRules,
  };
}

const fixes: Record<string, string> = {
  ...Object.fromEntries(referenceRules.map(([name, , fix]) => [name, fix])),
  MD001: "make it one level below the heading before it: the page's sections start at ##, under its title.",
  MD025: "the title in the front matter is the page's one <h1>: start this heading with ##.",
  MD033: `keep raw HTML to ${allowedElements.join(", ")}; the layout holds scripts and styles, and the opt-out form.`,
  MD042: "write where the link goes between the parentheses: [words](https://…).",
  MD045: "describe what it shows between the brackets: ![What it shows](…).",
  MD051: 'link to a heading of this page by its words, lower case, "-" for spaces: "## Log data" is #log-data.',
  MD059: 'write words that say where the link goes, not "here" or "link".',
  "no-script": "remove it: the layout holds the page's scripts; link to an https: page instead.",
  "opt-out-once": 'keep one {% include "matomo-opt-out.njk" %} line, blank lines around it, where the form goes.',
};

/** A markdownlint finding in `file` as a problem, with its fix. */
export function lintProblem(file: string, error: LintError): Problem {
  const { lineNumber: line, ruleNames, ruleDescription, errorDetail, errorContext, ruleInformation } = error;
  const detail = [errorDetail, errorContext && `at "${errorContext}"`].filter(Boolean).join(", ");
  const fix = fixes[ruleNames[0]!] ?? `see ${ruleInformation}; \`npm run lint:fix\` mends many.`;
  return { file, line, problem: `${ruleDescription}${detail ? ` [${detail}]` : ""} (${ruleNames.join("/")}).`, fix };
}
