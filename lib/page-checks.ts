// Before each build, every Markdown page is read once and checked: its front
// matter against the schema, its raw HTML against what content may hold.
// A problem stops the build before Eleventy renders anything.
import { readdir } from "node:fs/promises";
import { join, normalize, sep } from "node:path";
import type { Directories, Plugin } from "./eleventy.ts";
import { frontMatterDefaults, parseFrontMatter } from "./front-matter.ts";
import { checkRawHtml } from "./raw-html.ts";
import { readSourceText } from "./source-text.ts";

/** Markdown pages under the input folder, leaving out layouts and data. */
async function markdownPages({ input, includes, data }: Directories): Promise<string[]> {
  const skipped = [includes, data].map((dir) => normalize(dir) + sep);
  const entries = await readdir(input, { recursive: true });
  return entries
    .filter((entry) => entry.endsWith(".md") && !entry.split(sep).includes("node_modules"))
    .map((entry) => join(input, entry))
    .filter((file) => !skipped.some((dir) => file.startsWith(dir)));
}

async function checkPage(file: string): Promise<void> {
  const { body, bodyLine } = parseFrontMatter(await readSourceText(file), file);
  checkRawHtml(body, file, bodyLine);
}

export const pageChecks: Plugin = (eleventyConfig) => {
  // The schema's defaults apply to every page.
  for (const [key, value] of Object.entries(frontMatterDefaults)) eleventyConfig.addGlobalData(key, value);
  eleventyConfig.on("eleventy.before", async ({ directories }) => {
    await Promise.all((await markdownPages(directories)).map(checkPage));
  });
};
