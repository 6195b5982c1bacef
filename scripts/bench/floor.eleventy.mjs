// @ts-check
// The benchmark's floor: bare Eleventy 3 with this plain JavaScript config,
// the same pages and layout as ours, and only the filters and data the
// layout needs, each as cheap as it can be. No loader, checks or minifying.

/** @param {any} eleventyConfig Eleventy's configuration API, which ships no types. */
export default function (eleventyConfig) {
  eleventyConfig.addGlobalData("layout", "base.njk");
  eleventyConfig.addGlobalData("lang", "en");
  eleventyConfig.addGlobalData("contentSecurityPolicy", "default-src 'none'");
  eleventyConfig.addGlobalData("matomoTracking", false);
  eleventyConfig.addFilter("assetUrl", (/** @type {string} */ name) => `/assets/${name}`);
  eleventyConfig.addFilter(
    "matomoOptOutUrl",
    (/** @type {string} */ language) =>
      `https://matomo.dc.scilifelab.se/index.php?module=CoreAdminHome&action=optOut&language=${language}`,
  );
  eleventyConfig.addFilter("isoDate", (/** @type {Date} */ date) => date.toISOString().slice(0, 10));
  eleventyConfig.addFilter("readableDate", (/** @type {Date} */ date) => date.toDateString());
  eleventyConfig.addFilter(
    "picture",
    (/** @type {string} */ name, /** @type {{ alt: string }} */ { alt }) =>
      `<img src="/assets/img/${name}" alt="${alt}">`,
  );
  eleventyConfig.addFilter(
    "themedPicture",
    (/** @type {{ light: string }} */ image, /** @type {{ alt: string }} */ { alt }) =>
      `<img src="/assets/img/${image.light}" alt="${alt}">`,
  );
  eleventyConfig.addFilter("icon", () => "");
  eleventyConfig.addFilter("markdownInline", (/** @type {string} */ text) => text);
  eleventyConfig.addFilter(
    "menuLinks",
    (/** @type {{ primary: unknown[], secondary: unknown[] }} */ { primary, secondary }) => primary.concat(secondary),
  );
  // The floor reads no history: its pages link to none.
  eleventyConfig.addFilter("historyLinks", () => undefined);
}

export const config = { dir: { includes: "../_includes" }, markdownTemplateEngine: "njk" };
