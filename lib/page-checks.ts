// Every build checks each Markdown page, and stops with the file, the line
// and the fix at the first mistake a reader would meet:
// - before Eleventy renders anything: the front matter against the schema,
//   raw HTML against what content may hold, and the order of headings;
// - as each page is rendered, before it is written: the opt-out form on the
//   page that promises it, exactly once, and links into this build that lead
//   to a page it makes and to an id that page has. A link into a page not yet
//   rendered waits for that page.
import { readdir } from "node:fs/promises";
import { join, normalize, resolve, sep } from "node:path";
import { brokenFragment, checkHeadings, idsIn, linkTarget, missingPage, outline, type LinkTarget, type PageSource, type SourceLink } from "./content-checks.ts";
import type { Directories, Plugin } from "./eleventy.ts";
import { frontMatterDefaults, parseFrontMatter, type ParsedPage } from "./front-matter.ts";
import { checkRawHtml } from "./raw-html.ts";
import { SourceError } from "./source-error.ts";
import { readSourceText } from "./source-text.ts";

/** The build's Markdown pages as pageChecks read them, for other plugins to read once per build too (the policy's history). */
export interface BuildPages {
  /** Set before each build renders: every page by its absolute path. */
  current?: Promise<ReadonlyMap<string, CheckedPage>>;
}

export interface PageChecksOptions {
  /** Where the site is served, such as https://genomes.scilifelab.se. */
  origin: string;
  /** Where the pages read for this build are shared. */
  pages: BuildPages;
  /** The URL of the page that must show Matomo's opt-out form once, and the site data file that names it. */
  optOutPage: { url: string; namedIn: string };
  /** Pages the build copies into its output instead of rendering them (earlier versions the history kept): links to them are links to pages it makes. */
  copiedPages: ReadonlySet<string>;
}

/** What the opt-out partial (_includes/matomo-opt-out.njk) marks its form with. */
const optOutFormMarker = "data-matomo-opt-out";
const optOutInclude = "matomo-opt-out.njk";

/** Markdown pages under the input folder, leaving out layouts and data. */
async function markdownPages({ input, includes, data }: Directories): Promise<string[]> {
  const skipped = [includes, data].map((dir) => normalize(dir) + sep);
  const entries = await readdir(input, { recursive: true });
  return entries
    .filter((entry) => entry.endsWith(".md") && !entry.split(sep).includes("node_modules"))
    .map((entry) => join(input, entry))
    .filter((file) => !skipped.some((dir) => file.startsWith(dir)));
}

export interface CheckedPage extends PageSource, ParsedPage {
  /** The whole file, front matter included. */
  text: string;
  links: SourceLink[];
}

async function checkPage(file: string): Promise<CheckedPage> {
  const text = await readSourceText(file);
  const source = { file, text, ...parseFrontMatter(text, file) };
  checkRawHtml(source.body, file, source.bodyLine);
  const { headings, links } = outline(source);
  checkHeadings(headings, file);
  return { ...source, links };
}

/** The opt-out form must be on its page once: a policy that says "uncheck the box below" needs the box. */
function checkOptOutForm(html: string, page: CheckedPage, namedIn: string): void {
  const forms = html.split(optOutFormMarker).length - 1;
  if (forms === 1) return;
  if (forms === 0) {
    throw new SourceError(
      page.file,
      1,
      `this page has no Matomo opt-out form, but ${namedIn} names it as the page that carries it ("optOutPage"), and its text may tell visitors to use the form.`,
      `put {% include "${optOutInclude}" %} on a line of its own where the form belongs; to move the form to another page, change "optOutPage" in ${namedIn}.`,
    );
  }
  // The second include is the one to remove.
  const includeLines = page.body.split("\n").flatMap((line, i) => (line.includes(optOutInclude) ? [page.bodyLine + i] : []));
  throw new SourceError(
    page.file,
    includeLines[1] ?? 1,
    `the Matomo opt-out form is on this page ${forms} times; visitors need it once.`,
    `keep one {% include "${optOutInclude}" %} and remove the others.`,
  );
}

export const pageChecks: Plugin<PageChecksOptions> = (eleventyConfig, { origin, pages: shared, optOutPage, copiedPages }) => {
  // The schema's defaults apply to every page.
  for (const [key, value] of Object.entries(frontMatterDefaults)) eleventyConfig.addGlobalData(key, value);

  let pages = new Map<string, CheckedPage>();
  let built = new Set<string>();
  /** The ids of each page rendered so far, and the links waiting for a page not yet rendered. */
  let rendered = new Map<string, ReturnType<typeof idsIn>>();
  let waiting = new Map<string, { link: SourceLink; target: LinkTarget; file: string }[]>();

  eleventyConfig.on("eleventy.before", async ({ directories }) => {
    const reading = (async () => {
      const checked = await Promise.all((await markdownPages(directories)).map(checkPage));
      return new Map(checked.map((page) => [resolve(page.file), page]));
    })();
    shared.current = reading;
    pages = await reading;
    rendered = new Map();
    waiting = new Map();
  });

  eleventyConfig.on("eleventy.contentMap", ({ urlToInputPath }) => {
    built = new Set([...Object.keys(urlToInputPath), ...copiedPages]);
    if (!built.has(optOutPage.url)) {
      throw new SourceError(optOutPage.namedIn, undefined, `"optOutPage" is ${optOutPage.url}, but this build makes no page there.`, `write the URL of the page with the opt-out form, one of ${[...built].sort().join(", ")}.`);
    }
  });

  eleventyConfig.addTransform("page-checks", function (html) {
    const { url, inputPath, outputPath } = this.page;
    if (url === false || !outputPath || !outputPath.endsWith(".html")) return html;
    const ids = idsIn(html);
    rendered.set(url, ids);
    const page = pages.get(resolve(inputPath));
    if (page) {
      if (url === optOutPage.url) checkOptOutForm(html, page, optOutPage.namedIn);
      for (const link of page.links) {
        const target = linkTarget(link.href, url, { origin, built });
        if (target === "missing") throw missingPage(link, built, page.file);
        if (!target) continue;
        const targetIds = rendered.get(target.url);
        if (!targetIds) waiting.set(target.url, [...(waiting.get(target.url) ?? []), { link, target, file: page.file }]);
        else {
          const broken = brokenFragment(link, target, targetIds, page.file);
          if (broken) throw broken;
        }
      }
    }
    for (const { link, target, file } of waiting.get(url) ?? []) {
      const broken = brokenFragment(link, target, ids, file);
      if (broken) throw broken;
    }
    waiting.delete(url);
    return html;
  });
};
