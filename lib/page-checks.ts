// Every build checks each Markdown page for the mistakes a reader would
// meet, each with the file, the line and the fix, and lists them all in one
// report (build-problems.ts):
// - before Eleventy renders anything: the front matter against the schema,
//   raw HTML against what content may hold, the order of headings, what
//   would mislead or fail a reader in headings, links and images, and the
//   template code (its syntax, and the filters and templates it names); a
//   front matter or template that cannot be read or rendered stops the
//   build there;
// - once every page is written: the opt-out form on the page that promises
//   it, exactly once, and links into this build that lead to a page it makes
//   and to an id that page has. The pages' ids are kept from build to build,
//   so a build that renders only what changed (--incremental) checks links
//   into the pages it left as they were.
import { readdir } from "node:fs/promises";
import { join, normalize, resolve, sep } from "node:path";
import type { BuildProblems } from "./build-problems.ts";
import {
  headingProblems,
  idsIn,
  linkProblem,
  outline,
  readerProblems,
  type PageIds,
  type PageSource,
  type SourceLink,
} from "./content-checks.ts";
import type { Directories, EleventyConfig, Plugin } from "./eleventy.ts";
import { frontMatterDefaults, parseFrontMatter, type ParsedPage } from "./front-matter.ts";
import { rawHtmlProblems } from "./raw-html.ts";
import { SourceError } from "./source-error.ts";
import { readSourceText } from "./source-text.ts";
import { templateProblems, type TemplateNames } from "./template-syntax.ts";

export interface PageChecksOptions {
  /** Where the site is served, such as https://genomes.scilifelab.se. */
  origin: string;
  /** The build's Markdown pages, read once per build. */
  sources: SourcePages;
  /** The URL of the page that must show Matomo's opt-out form once, and the site data file that names it. */
  optOutPage: { url: string; namedIn: string };
  /** Where the mistakes found go, with those other plugins find before rendering. */
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
function checkPage(
  file: string,
  text: string,
  origin: string,
  names: TemplateNames,
): { page?: CheckedPage; problems: SourceError[] } {
  let source: CheckedPage;
  try {
    source = { file, text, ...parseFrontMatter(text, file), links: [] };
  } catch (error) {
    if (error instanceof SourceError) return { problems: [error] };
    throw error;
  }
  const outlined = outline(source);
  const unrenderable = templateProblems(source.body, file, source.bodyLine, names);
  const problems = [
    ...rawHtmlProblems(source.body, file, source.bodyLine),
    ...headingProblems(outlined.headings, file),
    ...readerProblems(outlined, file, origin),
    ...unrenderable,
  ];
  return { page: unrenderable.length > 0 ? undefined : { ...source, links: outlined.links }, problems };
}

/** The opt-out form must be on its page once: a policy that says "uncheck the box below" needs the box. */
function optOutFormProblem(forms: number, page: CheckedPage, namedIn: string): SourceError | undefined {
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

/** The pages one build reads, by absolute path, and the mistakes in them; `readable` is false when Eleventy could not render one. */
export interface SourceRead {
  pages: Map<string, CheckedPage>;
  problems: SourceError[];
  readable: boolean;
}

/** The build's Markdown pages, read and checked once per build by whichever plugin asks first: the checks and the history. */
export class SourcePages {
  #origin: string;
  #eleventyConfig: EleventyConfig;
  #current: Promise<SourceRead> | undefined;

  constructor(eleventyConfig: EleventyConfig, origin: string) {
    this.#origin = origin;
    this.#eleventyConfig = eleventyConfig;
    // Each rebuild of the preview reads the pages afresh.
    eleventyConfig.on("eleventy.beforeWatch", () => {
      this.#current = undefined;
    });
  }

  read(): Promise<SourceRead> {
    return (this.#current ??= this.#readAll());
  }

  async #readAll(): Promise<SourceRead> {
    const eleventyConfig = this.#eleventyConfig;
    const files = await markdownPages(eleventyConfig.directories);
    // As the build starts, once every plugin has added its filters.
    const names: TemplateNames = {
      hasFilter: (name) => eleventyConfig.getFilter(name) !== undefined,
      includes: eleventyConfig.directories.includes,
    };
    const checked = await Promise.all(
      files.map(async (file) => checkPage(file, await readSourceText(file), this.#origin, names)),
    );
    return {
      pages: new Map(checked.flatMap(({ page }) => (page ? [[resolve(page.file), page] as const] : []))),
      problems: checked.flatMap((page) => page.problems),
      readable: checked.every(({ page }) => page),
    };
  }
}

export const pageChecks: Plugin<PageChecksOptions> = (eleventyConfig, { origin, sources, optOutPage, problems }) => {
  // The schema's defaults apply to every page.
  for (const [key, value] of Object.entries(frontMatterDefaults)) eleventyConfig.addGlobalData(key, value);

  let pages = new Map<string, CheckedPage>();
  /** The URLs this build makes, and each page's by its absolute path. */
  let builtUrls = new Set<string>();
  let urlsOf = new Map<string, string[]>();
  /** What each page rendered so far has that a check reads: its ids, and how many opt-out forms. */
  const rendered = new Map<string, PageIds & { optOutForms: number }>();

  eleventyConfig.on("eleventy.beforeWatch", () => problems.clear());
  eleventyConfig.on("eleventy.before", async () => {
    const read = await sources.read();
    for (const problem of read.problems) problems.add(problem);
    // Eleventy cannot render a page whose front matter or template it cannot read: the build stops here.
    if (!read.readable) problems.report();
    pages = read.pages;
  });

  eleventyConfig.on("eleventy.contentMap", ({ urlToInputPath, inputPathToUrl }) => {
    builtUrls = new Set(Object.keys(urlToInputPath));
    urlsOf = new Map(Object.entries(inputPathToUrl).map(([input, urls]) => [resolve(input), urls]));
  });

  eleventyConfig.on("eleventy.after", ({ results }) => {
    for (const { url, outputPath, content } of results) {
      if (url === false || !outputPath) continue;
      // A file that is no HTML page (the feed) has no ids a link may name.
      const html = outputPath.endsWith(".html") ? content : "";
      rendered.set(url, { ...idsIn(html), optOutForms: html.split(optOutFormMarker).length - 1 });
    }
    for (const url of rendered.keys()) if (!builtUrls.has(url)) rendered.delete(url);
    if (!builtUrls.has(optOutPage.url)) {
      problems.add(
        new SourceError(
          optOutPage.namedIn,
          undefined,
          `"optOutPage" is ${optOutPage.url}, but this build makes no page there.`,
          `write the URL of the page with the opt-out form, one of ${[...builtUrls].sort().join(", ")}.`,
        ),
      );
    }
    for (const [file, page] of pages) {
      for (const url of urlsOf.get(file) ?? []) {
        const forms = rendered.get(url)?.optOutForms;
        if (url === optOutPage.url && forms !== undefined)
          problems.add(optOutFormProblem(forms, page, optOutPage.namedIn));
        for (const link of page.links) {
          problems.add(
            linkProblem(link, url, { origin, built: builtUrls }, (target) => rendered.get(target), page.file),
          );
        }
      }
    }
    problems.report();
  });
};
