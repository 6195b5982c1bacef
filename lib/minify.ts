// Minified output: every HTML page through html-minifier-terser, the
// stylesheet through clean-css (the CSS minifier html-minifier-terser uses).
import CleanCSS from "clean-css";
import { minify, type Options } from "html-minifier-terser";
import { readFile } from "node:fs/promises";
import type { Plugin } from "./eleventy.ts";
import { SourceError } from "./source-error.ts";

/** Safe options only: the output must stay valid HTML with every attribute quoted. */
export const htmlMinifierOptions: Options = {
  collapseWhitespace: true,
  collapseBooleanAttributes: true,
  decodeEntities: true,
  removeComments: true,
  removeRedundantAttributes: true,
  removeScriptTypeAttributes: true,
  removeStyleLinkTypeAttributes: true,
};

export const minifyHtml = (html: string): Promise<string> => minify(html, htmlMinifierOptions);

export async function minifiedStylesheet(file: string): Promise<string> {
  const result = new CleanCSS({ level: 1 }).minify(await readFile(file, "utf8"));
  const problem = result.errors[0] ?? result.warnings[0];
  if (problem) throw new SourceError(file, undefined, `the stylesheet has an error: ${problem}.`, "correct the CSS at the place named.");
  return result.styles;
}

export const minifyHtmlOutput: Plugin = (eleventyConfig) => {
  eleventyConfig.addTransform("minify-html", function (content) {
    return this.page.outputPath && this.page.outputPath.endsWith(".html") ? minifyHtml(content) : content;
  });
};
