// The checks every build runs before Eleventy renders a page: each Markdown
// page read as UTF-8, its front matter, and markdownlint with the rules of
// `npm run lint`. What they find goes in one list with the history's.
import { lint } from "markdownlint/promise";
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { Directories } from "../eleventy.ts";
import type { Site } from "../site.ts";
import { readFrontMatter, type FrontMatter } from "./front-matter.ts";
import { lintOptions, lintProblem, pageUrl } from "./markdown-rules.ts";
import { decodeUtf8, type Problem } from "./problems.ts";

export interface SourcePage {
  /** As Eleventy's input folder names it: src/privacy.md. */
  file: string;
  text: string;
  data: Partial<FrontMatter>;
  url: string;
}

/** The Markdown pages of the input folder (its data folder aside), each read as UTF-8 with its front matter. */
export async function readPages({ input, data }: Directories, site: Site, siteFile: string) {
  const names = (await readdir(input, { recursive: true })).filter(
    (name) => name.endsWith(".md") && !name.startsWith(relative(input, data) + sep) && !name.includes("node_modules"),
  );
  const pages: SourcePage[] = [];
  const problems: Problem[] = [];
  for (const file of names.sort().map((name) => join(input, name))) {
    const text = decodeUtf8(await readFile(file), file);
    const read = typeof text === "string" ? readFrontMatter(text, file) : { problems: [text] };
    problems.push(...read.problems);
    // A page whose front matter cannot be read would only give markdownlint's findings about the YAML.
    if (typeof text === "string" && read.data)
      pages.push({ file, text, data: read.data, url: pageUrl(input, file, read.data.permalink) });
  }
  if (problems.length === 0 && !pages.some((page) => page.url === site.matomo.optOutPage)) {
    const problem = `"optOutPage" is ${site.matomo.optOutPage}, but no page is there, so none has the opt-out form.`;
    problems.push({ file: siteFile, problem, fix: `name a page: ${pages.map((page) => page.url).join(", ")}.` });
  }
  return { pages, problems };
}

/** markdownlint's findings in `pages`, with the rules of `npm run lint`. */
export async function lintPages(pages: SourcePage[], site: Site, input: string): Promise<Problem[]> {
  const results = await lint({
    strings: Object.fromEntries(pages.map(({ file, text }) => [file, text])),
    ...lintOptions(site, input),
  });
  return Object.entries(results).flatMap(([file, found]) => found.map((error) => lintProblem(file, error)));
}
