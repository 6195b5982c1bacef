// @ts-check
// The benchmark's floor: Eleventy as a team would set it up by hand for the
// same pages, markdown-it and html-minifier-terser as a plain transform, in a
// layout that is the project's own, built (scripts/bench.ts writes it).
import { minify } from "html-minifier-terser";
import markdownIt from "markdown-it";

/** @param {import("../../lib/eleventy.ts").EleventyConfig} eleventyConfig */
export default function (eleventyConfig) {
  eleventyConfig.setLibrary("md", markdownIt({ html: true }));
  eleventyConfig.addGlobalData("layout", "layout.njk");
  eleventyConfig.addTransform("minify", function (/** @type {string} */ content) {
    const html = String(this.page.outputPath).endsWith(".html");
    return html ? minify(content, { collapseWhitespace: true, removeComments: true, decodeEntities: true }) : content;
  });
}

export const config = { dir: { input: "src", includes: "../_layouts", output: "public" } };
