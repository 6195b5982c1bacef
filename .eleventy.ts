// Eleventy's configuration: it only wires together the modules in lib/,
// one concern each. Node runs it as it is, stripping the types.
import { join } from "node:path";
import { hashedAssets } from "./lib/assets.ts";
import { cacheFolder, TextCache } from "./lib/build-cache.ts";
import { BuildProblems } from "./lib/build-problems.ts";
import { dateFilters } from "./lib/dates.ts";
import type { EleventyConfig } from "./lib/eleventy.ts";
import { fontFaceCss, robotoSubset } from "./lib/fonts.ts";
import { pageHistories } from "./lib/history/plugin.ts";
import { images } from "./lib/images.ts";
import { markdown } from "./lib/markdown.ts";
import { matomo } from "./lib/matomo.ts";
import { minifiedStylesheet, minifyHtmlOutput } from "./lib/minify.ts";
import { pageChecks, SourcePages } from "./lib/page-checks.ts";
import { brandImages, portalLayout } from "./lib/portal-layout.ts";
import { portalLinks } from "./lib/portal-links.ts";
import { preview } from "./lib/preview.ts";
import { contentSecurityPolicy } from "./lib/security-policy.ts";
import { loadSite } from "./lib/site.ts";
import { readSourceText } from "./lib/source-text.ts";

export default function (eleventyConfig: EleventyConfig) {
  const { input, data } = eleventyConfig.directories;
  const siteData = join(data, "site.json");
  const site = loadSite(siteData);
  const assets = join(input, "assets");
  const brand = join(assets, "brand");
  const stylesheet = join(assets, "style.css");
  const themeScript = join(assets, "theme.js");
  const trackerScript = join(assets, "analytics.js");
  // Fonts, images and minified text made once are kept here between builds.
  const cache = cacheFolder;
  const minified = new TextCache(join(cache, "minified"));
  // Only the production build counts visits; previews on the dev server never do.
  const production = process.env.ELEVENTY_RUN_MODE === "build";

  // The Markdown pages, read and checked once per build: by the checks and by the history.
  const sources = new SourcePages(eleventyConfig, site.origin);
  // Every mistake found, reported together once every page is written (lib/build-problems.ts).
  const problems = new BuildProblems();
  // Each event's listeners run one after another, so none still writes once one has failed the build.
  eleventyConfig.setEventEmitterMode("sequential");

  eleventyConfig.addPlugin(pageChecks, {
    origin: site.origin,
    sources,
    optOutPage: { url: site.matomo.optOutPage, namedIn: siteData },
    problems,
  });
  eleventyConfig.addPlugin(markdown);
  eleventyConfig.addPlugin(pageHistories, {
    sources,
    origin: site.origin,
    publisher: site.name,
    optOutPage: site.matomo.optOutPage,
    strict: production,
    problems,
    texts: new TextCache(join(cache, "history")),
    // Beside the input folder, as _includes/ is.
    earlierVersions: join(input, "..", "earlier-versions"),
  });
  eleventyConfig.addPlugin(dateFilters);
  eleventyConfig.addPlugin(portalLayout, { brand });
  eleventyConfig.addPlugin(images, { source: brand, cache: join(cache, "images"), images: brandImages(site) });
  eleventyConfig.addPlugin(matomo, { settings: site.matomo, tracking: production });
  eleventyConfig.addPlugin(contentSecurityPolicy, { matomo: site.matomo, liveReload: !production });
  eleventyConfig.addPlugin(hashedAssets, {
    "roboto.woff2": () => robotoSubset(join(cache, "fonts")),
    "style.css": (urlOf) => minifiedStylesheet(stylesheet, minified, fontFaceCss(urlOf("roboto.woff2"))),
    "theme.js": () => readSourceText(themeScript),
    "analytics.js": () => readSourceText(trackerScript),
  });
  eleventyConfig.addPlugin(portalLinks, { origin: site.origin });
  eleventyConfig.addPlugin(minifyHtmlOutput, { cache: minified });
  eleventyConfig.addPlugin(preview, {
    targets: [stylesheet, themeScript, trackerScript],
    host: process.env.PREVIEW_HOST ?? "localhost",
    // Set by `npm start` (scripts/preview.ts).
    restartSignal: process.env.PREVIEW_RESTART_SIGNAL,
  });
}

export const config = {
  // Input and output folders are the caller's (Eleventy lets this file's
  // setting win over theirs): see lib/build.ts and `npm start`.
  dir: { includes: "../_includes" },
  markdownTemplateEngine: "njk",
  htmlTemplateEngine: "njk",
  templateFormats: ["md", "njk"],
};
