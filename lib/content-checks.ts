// What a page's content must get right for its readers, checked by every
// build with the line of the Markdown to fix: headings in order under the
// layout's one <h1>, each with words; links with words, into this build
// where they lead somewhere, to an address where they write to one, over
// https: where the site is; images from this site with alt text; and the
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
  /** Its words; none for a raw HTML heading. */
  text?: string;
}

/** A link as a reader meets it, Markdown or raw HTML: where it goes, and the words that name it. */
export interface Anchor extends Located {
  href: string;
  text: string;
}

/** An image of the page's content: its address, and its alt text (none where raw HTML has no alt). */
export interface ContentImage extends Located {
  src: string;
  alt: string | undefined;
  markdown: boolean;
}

export interface Outline {
  headings: Heading[];
  links: SourceLink[];
  anchors: Anchor[];
  images: ContentImage[];
}

const entities: Record<string, string> = { amp: "&", quot: '"', "#39": "'", lt: "<", gt: ">" };
/** An attribute's value in a tag's attributes, its character references undone; undefined where it has none. */
function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, "i").exec(attributes);
  const value = match && (match[1] ?? match[2] ?? match[3] ?? "");
  return value === null ? undefined : value.replace(/&(amp|quot|#39|lt|gt);/g, (_, name: string) => entities[name]!);
}

/** The words a link's content shows or names: its text, and the alt text of its images. */
const wordsIn = (html: string) =>
  html
    .replace(/<img\b([^>]*)>/gi, (_, attributes: string) => ` ${attribute(attributes, "alt") ?? ""} `)
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;|&#160;|\s/g, " ")
    .trim();

const rawHref = /\shref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const rawHeading = /<h([1-6])\b/gi;

/** The headings, links and images of a page's Markdown, raw HTML included, each with its line in the file. */
export function outline({ body, bodyLine }: PageSource): Outline {
  const lines = body.split("\n");
  const headings: Heading[] = [];
  const links: SourceLink[] = [];
  const anchors: Anchor[] = [];
  const images: ContentImage[] = [];
  const blocks = parser.parse(body, {});
  for (const [i, block] of blocks.entries()) {
    const [start, end] = block.map ?? [0, lines.length];
    /** The file's line of the first line in this block that holds `text`. */
    const lineOf = (text: string) =>
      bodyLine +
      start +
      Math.max(
        0,
        lines.slice(start, end).findIndex((line) => line.includes(text)),
      );
    if (block.type === "heading_open") {
      const text = blocks[i + 1]?.content.trim() ?? "";
      headings.push({ level: Number(block.tag.slice(1)), line: bodyLine + start, text });
    }
    const raw = (html: string) => {
      for (const [, level] of html.matchAll(rawHeading))
        headings.push({ level: Number(level), line: lineOf(`<h${level}`) });
      for (const [, double, single] of html.matchAll(rawHref))
        links.push({ href: double ?? single ?? "", line: lineOf(double ?? single ?? "") });
      for (const [tag, attributes = ""] of html.matchAll(/<img\b([^>]*)>/gi)) {
        const src = attribute(attributes, "src") ?? "";
        images.push({ src, alt: attribute(attributes, "alt"), markdown: false, line: lineOf(tag) });
      }
    };
    if (block.type === "html_block") raw(block.content);
    for (const child of block.children ?? ([] as Token[])) {
      if (child.type === "html_inline") raw(child.content);
      const href = child.type === "link_open" ? child.attrGet("href") : null;
      if (href !== null) links.push({ href, line: lineOf(href) });
      if (child.type === "image") {
        const src = child.attrGet("src") ?? "";
        images.push({ src, alt: child.content, markdown: true, line: lineOf(src) });
      }
    }
    // Every link of the block as the page will have it, raw or Markdown, with the words inside it.
    const html =
      block.type === "html_block"
        ? block.content
        : block.type === "inline"
          ? parser.renderer.renderInline(block.children ?? [], parser.options, {})
          : "";
    for (const [, attributes = "", content = ""] of html.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi)) {
      const href = attribute(attributes, "href");
      const text = wordsIn(content) || attribute(attributes, "aria-label") || attribute(attributes, "title") || "";
      if (href !== undefined) anchors.push({ href, text, line: lineOf(href) });
    }
  }
  return { headings, links, anchors, images };
}

/** What would mislead or fail a reader in the page's headings, links and images (`origin`: where the site is served). */
export function readerProblems({ headings, anchors, images }: Outline, file: string, origin: string): SourceError[] {
  const problems: SourceError[] = [];
  const site = new URL(origin);
  const address = (href: string) => URL.parse(href, `${origin}/`);
  for (const { level, text, line } of headings) {
    if (text !== "") continue;
    const problem = "the heading has no words: screen readers announce an empty heading, and the outline has a gap.";
    problems.push(
      new SourceError(file, line, problem, `write its words after "${"#".repeat(level)} ", or remove the line.`),
    );
  }
  // Hosts the site knows to serve https: its own, and every one the page links over https:.
  const secure = new Set([
    site.hostname,
    ...anchors
      .map(({ href }) => address(href))
      .filter((url) => url?.protocol === "https:")
      .map((url) => url!.hostname),
  ]);
  for (const { href, text, line } of anchors) {
    const url = address(href);
    if (!text) {
      const problem = `the link to "${href}" has no words: a screen reader announces a bare "link", and nothing on the page shows where it goes.`;
      problems.push(
        new SourceError(
          file,
          line,
          problem,
          `write the words a reader should see between the brackets: [where it goes](${href}).`,
        ),
      );
    }
    if (url?.protocol === "mailto:" && !decodeURIComponent(url.pathname).includes("@")) {
      const problem = `the link "${href}" has no e-mail address: a reader's mail program would open a message to no one.`;
      problems.push(
        new SourceError(file, line, problem, 'write the address after "mailto:", such as mailto:name@example.org.'),
      );
    }
    if (url?.protocol === "http:" && secure.has(url.hostname)) {
      const problem = `the link to "${href}" goes over plain http:, but ${url.hostname} is served over https:, so the reader's visit there would not be encrypted.`;
      problems.push(
        new SourceError(file, line, problem, `write it with https:, as ${href.replace(/^http:/i, "https:")}.`),
      );
    }
  }
  for (const { src, alt, markdown, line } of images) {
    const url = address(src);
    if (url && url.origin !== site.origin && /^https?:$/.test(url.protocol)) {
      const problem = `the image "${src}" comes from ${url.host}: the page's security policy lets images come only from this site, so visitors would see a broken image, and were it shown, ${url.host} would learn of every visit, which the policy does not describe.`;
      const fix = `link to it instead, [${alt?.trim() || "the image"}](${src}); an image shown on the page is served from this site (docs/editing.md).`;
      problems.push(new SourceError(file, line, problem, fix));
    }
    if (alt === undefined || (markdown && !alt.trim())) {
      const problem = `the image "${src}" has no alt text: a screen reader says only "image", or reads out its file name.`;
      const fix = markdown
        ? `describe what it shows between the brackets, ![What it shows](${src}); an image that only decorates is written <img src="${src}" alt="">.`
        : 'add alt="what it shows", or alt="" to an image that only decorates.';
      problems.push(new SourceError(file, line, problem, fix));
    }
  }
  return problems;
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
          `the heading skips a level: <h${level}> after <h${previous}>${previous === 1 ? " (the page's title)" : ""}, so screen readers announce a section that is missing.`,
          previous === 1
            ? "write it with ##: the page's sections start at ##, under its title."
            : `write it with ${"#".repeat(previous + 1)} (one level below the heading before it), or ## for a new section.`,
        ),
      );
    }
    previous = level;
  }
  return problems;
}

/** The ids a rendered page has, and which of them are its sections' (the headings in <main>), in order. */
export function idsIn(html: string): PageIds {
  const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map(([, id]) => id!));
  const main = html.slice(html.indexOf("<main"), html.indexOf("</main>") >>> 0);
  const headingIds = [...main.matchAll(/<h[2-6]\b[^>]*\sid="([^"]+)"/g)].map(([, id]) => id!);
  return { ids, headingIds };
}

/** Where a link lands in this build: a page it makes, and a fragment of it. */
interface LinkTarget {
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
function linkTarget(
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
  return inBuiltFolder(path, built) ? "missing" : undefined;
}

/** Whether `path` lies inside the folder of a page the build makes, such as /privacy/old/ under /privacy/; the site's root aside. */
function inBuiltFolder(path: string, built: ReadonlySet<string>): boolean {
  // Each folder above `path` once, rather than every page of the build for every link.
  for (let slash = path.indexOf("/", 1); slash !== -1; slash = path.indexOf("/", slash + 1))
    if (built.has(path.slice(0, slash + 1))) return true;
  return false;
}

/** A fragment every page has: the top of the page, or none at all. */
const alwaysThere = (fragment: string) => fragment === "" || fragment === "top";

/** What a link on the page at `pageUrl` gets wrong, if anything; `idsOf` gives a page's ids, as rendered in this build or the last. */
export function linkProblem(
  link: SourceLink,
  pageUrl: string,
  site: SiteUrls,
  idsOf: (url: string) => PageIds | undefined,
  file: string,
): SourceError | undefined {
  const target = linkTarget(link.href, pageUrl, site);
  if (target === "malformed") return malformedLink(link, file);
  if (target === "missing") return missingPage(link, site.built, file);
  const ids = target && idsOf(target.url);
  return ids && brokenFragment(link, target, ids, file);
}

/** The ids of a rendered page, and those of its sections' headings (for the fix). */
export interface PageIds {
  ids: Set<string>;
  headingIds: string[];
}

function brokenFragment(link: SourceLink, target: LinkTarget, ids: PageIds, file: string): SourceError | undefined {
  if (alwaysThere(target.fragment) || ids.ids.has(target.fragment)) return undefined;
  return new SourceError(
    file,
    link.line,
    `the link to "${link.href}" leads nowhere: ${target.url} has no heading or element with the id "${target.fragment}".`,
    `link to one of its sections, ${ids.headingIds.map((id) => `#${id}`).join(", ") || "(it has none)"}, or correct the heading the link was meant for.`,
  );
}

function malformedLink(link: SourceLink, file: string): SourceError {
  return new SourceError(
    file,
    link.line,
    `the link to "${link.href}" is malformed: a browser cannot follow it to its place.`,
    'write a "%" in an address as %25, and a space as %20.',
  );
}

function missingPage(link: SourceLink, built: ReadonlySet<string>, file: string): SourceError {
  return new SourceError(
    file,
    link.line,
    `the link to "${link.href}" leads nowhere: this build makes no page at that address.`,
    `link to a page it makes (${[...built].sort().join(", ")}), or to the portal's page by its path, such as /contact.`,
  );
}
