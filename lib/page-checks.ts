// Every build checks each Markdown page for the mistakes a reader would
// meet, each with the file, the line and the fix, and lists them all
// (build-problems.ts):
// - before Eleventy renders anything: the front matter against the schema,
//   raw HTML against what content may hold, the order of headings, what
//   would mislead or fail a reader in headings, links and images, and the
//   template syntax; a front matter or template that cannot be read stops
//   the build there;
// - as each page is rendered, before it is written: the opt-out form on the
//   page that promises it, exactly once, and links into this build that lead
//   to a page it makes and to an id that page has. A link into a page not yet
//   rendered waits for that page.
import { readdir } from "node:fs/promises";
import { join, normalize, resolve, sep } from "node:path";
import type { BuildProblems } from "./build-problems.ts";
import {
  brokenFragment,
  headingProblems,
  idsIn,
  linkTarget,
  malformedLink,
  missingPage,
  outline,
  readerProblems,
  type LinkTarget,
  type PageSource,
  type SourceLink,
} from "./content-checks.ts";
import type { Directories, Plugin } from "./eleventy.ts";
import { frontMatterDefaults, parseFrontMatter, type ParsedPage } from "./front-matter.ts";
import { rawHtmlProblems } from "./raw-html.ts";
import { SourceError, SourceErrors } from "./source-error.ts";
import { readSourceText } from "./source-text.ts";
import { templateSyntaxProblem } from "./template-syntax.ts";

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
  /** Where the mistakes found go. */
  problems: BuildProblems;
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

/**
 * The page, and its mistakes; no page where its front matter cannot be read (then that is its one mistake),
 * or where Nunjucks could not render it (template-syntax.ts).
 */
async function checkPage(file: string, origin: string): Promise<{ page?: CheckedPage; problems: SourceError[] }> {
  const text = await readSourceText(file);
  let source: CheckedPage;
  try {
    source = { file, text, ...parseFrontMatter(text, file), links: [] };
  } catch (error) {
    if (error instanceof SourceError) return { problems: [error] };
    throw error;
  }
  const outlined = outline(source);
  const templateProblem = templateSyntaxProblem(source.body, file, source.bodyLine);
  const problems = [
    ...rawHtmlProblems(source.body, file, source.bodyLine),
    ...headingProblems(outlined.headings, file),
    ...readerProblems(outlined, file, origin),
    ...(templateProblem ? [templateProblem] : []),
  ];
  return { page: templateProblem ? undefined : { ...source, links: outlined.links }, problems };
}

/** The opt-out form must be on its page once: a policy that says "uncheck the box below" needs the box. */
function optOutFormProblem(html: string, page: CheckedPage, namedIn: string): SourceError | undefined {
  const forms = html.split(optOutFormMarker).length - 1;
  if (forms === 1) return undefined;
  if (forms === 0) {
    return new SourceError(
      page.file,
      1,
      `this page has no Matomo opt-out form, but ${namedIn} names it as the page that carries it ("optOutPage"), and its text may tell visitors to use the form.`,
      `put {% include "${optOutInclude}" %} on a line of its own where the form belongs; to move the form to another page, change "optOutPage" in ${namedIn}.`,
    );
  }
  // The second include is the one to remove.
  const includeLines = page.body
    .split("\n")
    .flatMap((line, i) => (line.includes(optOutInclude) ? [page.bodyLine + i] : []));
  return new SourceError(
    page.file,
    includeLines[1] ?? 1,
    `the Matomo opt-out form is on this page ${forms} times; visitors need it once.`,
    `keep one {% include "${optOutInclude}" %} and remove the others.`,
  );
}

export const pageChecks: Plugin<PageChecksOptions> = (
  eleventyConfig,
  { origin, pages: shared, optOutPage, problems },
) => {
  // The schema's defaults apply to every page.
  for (const [key, value] of Object.entries(frontMatterDefaults)) eleventyConfig.addGlobalData(key, value);

  let pages = new Map<string, CheckedPage>();
  let built = new Set<string>();
  /** The ids of each page rendered so far, and the links waiting for a page not yet rendered. */
  let rendered = new Map<string, ReturnType<typeof idsIn>>();
  let waiting = new Map<string, { link: SourceLink; target: LinkTarget; file: string }[]>();

  /** The pages not yet rendered: once none is left, and no link waits for its target, every mistake is known. */
  let unchecked = new Set<string>();
  const checkedAll = () => unchecked.size === 0 && waiting.size === 0 && problems.checksDone();

  eleventyConfig.on("eleventy.before", async ({ directories }) => {
    problems.startBuild();
    const reading = (async () => {
      const checked = await Promise.all((await markdownPages(directories)).map((file) => checkPage(file, origin)));
      const found = checked.flatMap((page) => page.problems);
      // Eleventy cannot render a page whose front matter or template it cannot read: the build stops here, with every mistake found so far.
      if (checked.some((page) => !page.page)) throw new SourceErrors(found);
      for (const problem of found) problems.add(problem);
      return new Map(checked.map(({ page }) => [resolve(page!.file), page!]));
    })();
    shared.current = reading;
    pages = await reading;
    rendered = new Map();
    waiting = new Map();
  });

  eleventyConfig.on("eleventy.contentMap", ({ urlToInputPath, inputPathToUrl }) => {
    built = new Set(Object.keys(urlToInputPath));
    unchecked = new Set(
      Object.entries(inputPathToUrl).flatMap(([input, urls]) => (pages.has(resolve(input)) ? urls : [])),
    );
    problems.hold(unchecked);
    checkedAll();
    if (!built.has(optOutPage.url)) {
      problems.add(
        new SourceError(
          optOutPage.namedIn,
          undefined,
          `"optOutPage" is ${optOutPage.url}, but this build makes no page there.`,
          `write the URL of the page with the opt-out form, one of ${[...built].sort().join(", ")}.`,
        ),
      );
    }
  });

  eleventyConfig.addTransform("page-checks", function (html) {
    const { url, inputPath, outputPath } = this.page;
    if (url === false || !outputPath) return html;
    // A file that is no HTML page (the feed) has no ids a link may name.
    const ids = outputPath.endsWith(".html") ? idsIn(html) : { ids: new Set<string>(), headingIds: [] };
    rendered.set(url, ids);
    const page = pages.get(resolve(inputPath));
    const report = (problem: SourceError | undefined) => problems.add(problem);
    if (page) {
      if (url === optOutPage.url) report(optOutFormProblem(html, page, optOutPage.namedIn));
      for (const link of page.links) {
        const target = linkTarget(link.href, url, { origin, built });
        if (target === "malformed") report(malformedLink(link, page.file));
        else if (target === "missing") report(missingPage(link, built, page.file));
        else if (!target) continue;
        else {
          const targetIds = rendered.get(target.url);
          if (targetIds) report(brokenFragment(link, target, targetIds, page.file));
          else waiting.set(target.url, [...(waiting.get(target.url) ?? []), { link, target, file: page.file }]);
        }
      }
    }
    for (const { link, target, file } of waiting.get(url) ?? []) report(brokenFragment(link, target, ids, file));
    waiting.delete(url);
    unchecked.delete(url);
    checkedAll();
    return html;
  });
};
