// Eleventy's configuration, as a table of contents: each module in lib/ has
// one concern. Node runs it as it is, stripping the types.
import { join } from "node:path";
import { assets } from "./lib/assets.ts";
import { lintPages, readPages } from "./lib/checks/pages.ts";
import { SourceProblems } from "./lib/checks/problems.ts";
import type { EleventyConfig } from "./lib/eleventy.ts";
import { readHistories, type Histories } from "./lib/history/index.ts";
import { portalLayout } from "./lib/layout.ts";
import { createMarkdown } from "./lib/markdown.ts";
import { matomo } from "./lib/matomo.ts";
import { contentSecurityPolicy } from "./lib/security-policy.ts";
import { loadSite } from "./lib/site.ts";

export default function (eleventyConfig: EleventyConfig) {
  const { input, data } = eleventyConfig.directories;
  const siteFile = join(data, "site.json");
  const site = loadSite(siteFile);
  // Only the production build counts visits, minifies, and refuses a date the history guards; the preview warns.
  const production = process.env.ELEVENTY_RUN_MODE === "build";

  const markdown = createMarkdown();
  eleventyConfig.setLibrary("md", markdown);
  // Short texts of the site data, such as the footer's paragraph: the same on every page, rendered once.
  const inline = new Map<string, string>();
  eleventyConfig.addFilter(
    "markdownInline",
    (text: string) => inline.get(text) ?? inline.set(text, markdown.renderInline(text)).get(text),
  );
  eleventyConfig.addGlobalData("layout", "base.njk");
  eleventyConfig.addGlobalData("lang", "en");

  // The checks and the history, before Eleventy renders a page: every mistake in one list.
  let histories: Histories;
  // Eleventy's dev server stops when its first build fails; once one has succeeded, it rebuilds on each save.
  let built = false;
  eleventyConfig.on("eleventy.after", () => void (built = true));
  eleventyConfig.on("eleventy.before", async () => {
    const { pages, problems } = await readPages(eleventyConfig.directories, site, siteFile);
    const [linted, history] = await Promise.all([
      lintPages(pages, site, input),
      readHistories(pages, { site, input, strict: production }),
    ]);
    problems.push(...linted, ...history.problems);
    if (problems.length > 0) throw new SourceProblems(problems, built ? "save" : "run `npm start` again");
    histories = history.histories;
  });
  eleventyConfig.addGlobalData("histories", () => histories);
  // The preview rebuilds as soon as a saved file has been still a moment, not after Eleventy's longer default wait:
  // editors save in one write.
  eleventyConfig.setChokidarConfig({ awaitWriteFinish: { stabilityThreshold: 20, pollInterval: 10 } });

  eleventyConfig.addPlugin(portalLayout, { site, assets: join(input, "assets") });
  eleventyConfig.addPlugin(matomo, { settings: site.matomo, tracking: production });
  eleventyConfig.addPlugin(contentSecurityPolicy, { matomo: site.matomo, liveReload: !production });
  eleventyConfig.addPlugin(assets, { folder: join(input, "assets"), minify: production });
}

export const config = {
  // The templates sit beside the input folder, which is the caller's (scripts/build.ts, `npm start`).
  dir: { includes: "../_includes" },
  markdownTemplateEngine: "njk",
  htmlTemplateEngine: "njk",
  templateFormats: ["md", "njk"],
};
