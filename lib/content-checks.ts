// What a page's content must get right for its readers, checked by every
// build with the line of the Markdown to fix: headings in order under the
// layout's one <h1>, links into this build that lead somewhere, and the
// opt-out form on the page that promises it. The Markdown gives the lines;
// the rendered page gives the ids a fragment may name.
import MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import { SourceError } from "./source-error.ts";

// Finds blocks, headings and links as the real renderer does, keeping every
// link's target as written; the inline rules that only style text are off
// (they cost more than half of a parse, and move no link).
const parser = new MarkdownIt({ html: true });
parser.validateLink = () => true;
parser.disable([
  "emphasis",
  "strikethrough",
  "entity",
  "newline",
  "balance_pairs",
  "fragments_join",
  "text_join",
  "linkify",
]);

/** A page's Markdown after its front matter, where it starts in the file, and its parse. */
export interface PageSource {
  file: string;
  body: string;
  bodyLine: number;
}

interface Located {
  /** The line in the page's file. */
  line: number;
}

export interface SourceLink extends Located {
  href: string;
}

interface Heading extends Located {
  level: number;
}

const rawHref = /\shref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const rawHeading = /<h([1-6])\b/gi;

/** The headings and links of a page's Markdown, raw HTML included, each with its line in the file. */
export function outline({ body, bodyLine }: PageSource): { headings: Heading[]; links: SourceLink[] } {
  const lines = body.split("\n");
  const headings: Heading[] = [];
  const links: SourceLink[] = [];
  for (const block of parser.parse(body, {})) {
    const [start, end] = block.map ?? [0, lines.length];
    /** The file's line of the first line in this block that holds `text`. */
    const lineOf = (text: string) =>
      bodyLine +
      start +
      Math.max(
        0,
        lines.slice(start, end).findIndex((line) => line.includes(text)),
      );
    if (block.type === "heading_open") headings.push({ level: Number(block.tag.slice(1)), line: bodyLine + start });
    const raw = (html: string) => {
      for (const [, level] of html.matchAll(rawHeading))
        headings.push({ level: Number(level), line: lineOf(`<h${level}`) });
      for (const [, double, single] of html.matchAll(rawHref))
        links.push({ href: double ?? single ?? "", line: lineOf(double ?? single ?? "") });
    };
    if (block.type === "html_block") raw(block.content);
    for (const child of block.children ?? ([] as Token[])) {
      if (child.type === "html_inline") raw(child.content);
      const href = child.type === "link_open" ? child.attrGet("href") : null;
      if (href !== null) links.push({ href, line: lineOf(href) });
    }
  }
  return { headings, links };
}

/** A second <h1> (the layout's banner holds the one), and each heading that skips a level. */
export function headingProblems(headings: Heading[], file: string): SourceError[] {
  const problems: SourceError[] = [];
  let previous = 1;
  for (const { level, line } of headings) {
    if (level === 1) {
      problems.push(
        new SourceError(
          file,
          line,
          "a second <h1>: the page's title, from the front matter, is its one <h1>.",
          'make this heading a section, "## Heading", or change the title in the front matter.',
        ),
      );
      continue;
    }
    if (level > previous + 1) {
      problems.push(
        new SourceError(
          file,
          line,
          `the heading skips a level: <h${level}> after <h${previous}>, so screen readers announce a section that is missing.`,
          `write it with ${"#".repeat(previous + 1)} (one level below the heading before it), or ## for a new section.`,
        ),
      );
    }
    previous = level;
  }
  return problems;
}

/** The ids a rendered page has, and which of them are its sections' (the headings in <main>), in order. */
export function idsIn(html: string): { ids: Set<string>; headingIds: string[] } {
  const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map(([, id]) => id!));
  const main = html.slice(html.indexOf("<main"), html.indexOf("</main>") >>> 0);
  const headingIds = [...main.matchAll(/<h[2-6]\b[^>]*\sid="([^"]+)"/g)].map(([, id]) => id!);
  return { ids, headingIds };
}

/** Where a link lands in this build: a page it makes, and a fragment of it. */
export interface LinkTarget {
  url: string;
  fragment: string;
}

export interface SiteUrls {
  /** Where the site is served, such as https://genomes.scilifelab.se. */
  origin: string;
  /** The URLs of the pages this build makes, such as /privacy/. */
  built: ReadonlySet<string>;
}

/**
 * Where `href`, on the page at `pageUrl`, lands in this build: a page it
 * makes, "missing" for an address in a folder of its own that no page has,
 * "malformed" for one no browser can follow to its place, or undefined for
 * any other site's page (the portal's other pages among them).
 */
export function linkTarget(
  href: string,
  pageUrl: string,
  { origin, built }: SiteUrls,
): LinkTarget | "missing" | "malformed" | undefined {
  let resolved: URL;
  let fragment: string;
  try {
    resolved = new URL(href, `${origin}${pageUrl}`);
    fragment = decodeURIComponent(resolved.hash.slice(1));
  } catch {
    return "malformed";
  }
  if (resolved.origin !== origin) return undefined;
  const path = resolved.pathname;
  const url = [path, path.endsWith("/") ? path.slice(0, -1) : `${path}/`].find((candidate) => built.has(candidate));
  if (url !== undefined) return { url, fragment };
  const inOwnFolder = [...built].some((page) => page !== "/" && page.endsWith("/") && path.startsWith(page));
  return inOwnFolder ? "missing" : undefined;
}

/** A fragment every page has: the top of the page, or none at all. */
const alwaysThere = (fragment: string) => fragment === "" || fragment === "top";

export function brokenFragment(
  link: SourceLink,
  target: LinkTarget,
  ids: { ids: Set<string>; headingIds: string[] },
  file: string,
): SourceError | undefined {
  if (alwaysThere(target.fragment) || ids.ids.has(target.fragment)) return undefined;
  return new SourceError(
    file,
    link.line,
    `the link to "${link.href}" leads nowhere: ${target.url} has no heading or element with the id "${target.fragment}".`,
    `link to one of its sections, ${ids.headingIds.map((id) => `#${id}`).join(", ") || "(it has none)"}, or correct the heading the link was meant for.`,
  );
}

export function malformedLink(link: SourceLink, file: string): SourceError {
  return new SourceError(
    file,
    link.line,
    `the link to "${link.href}" is malformed: a browser cannot follow it to its place.`,
    'write a "%" in an address as %25, and a space as %20.',
  );
}

export function missingPage(link: SourceLink, built: ReadonlySet<string>, file: string): SourceError {
  return new SourceError(
    file,
    link.line,
    `the link to "${link.href}" leads nowhere: this build makes no page at that address.`,
    `link to a page it makes (${[...built].sort().join(", ")}), or to the portal's page by its path, such as /contact.`,
  );
}
