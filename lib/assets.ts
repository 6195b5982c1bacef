// The files the pages load (stylesheet, scripts, font), written under
// /assets/ with a hash of their content in the name, so browsers may keep
// them for a year and a change gets a new name; and every HTML page minified.
import CleanCSS from "clean-css";
import { minify } from "html-minifier-terser";
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Plugin } from "./eleventy.ts";
import { decodeUtf8, SourceProblems } from "./checks/problems.ts";

/** What Roboto's subset holds (scripts/brand-assets.ts): ASCII, Latin-1's letters (å, ä, ö, é), – — ‘ ’ “ ” • …. */
export const unicodeRange = "U+20-7E,U+A0,U+C0-FF,U+2013-2014,U+2018-201D,U+2022,U+2026";

/**
 * The @font-face rule for Roboto at `url`, and a fallback that is Arial scaled to Roboto's metrics (ascender 1900,
 * descender 500, no line gap, at 2048 units a em). font-display is optional, not swap: the page preloads the font,
 * and a Roboto arriving late would move the text, as no fallback metrics match every word.
 */
export const fontFaceCss = (url: string): string =>
  `@font-face{font-family:Roboto;font-style:normal;font-weight:400 700;font-display:optional;src:url(${url}) format("woff2");unicode-range:${unicodeRange}}
@font-face{font-family:"Roboto Fallback";src:local("Arial"),local("Liberation Sans"),local("Helvetica");ascent-override:92.77%;descent-override:24.41%;line-gap-override:0%;size-adjust:100.3%}
`;

async function readText(file: string): Promise<string> {
  const text = decodeUtf8(await readFile(file), file);
  if (typeof text !== "string") throw new SourceProblems([text]);
  return text;
}

/** clean-css mends what it can and warns: a warning is a mistake in the stylesheet too. */
function minifiedCss(css: string, file: string): string {
  const { styles, errors, warnings } = new CleanCSS({ level: 1 }).minify(css);
  const [found] = [...errors, ...warnings];
  if (found)
    throw new SourceProblems([
      { file, problem: `the stylesheet has a mistake: ${found}.`, fix: "mend the CSS there." },
    ]);
  return styles;
}

/** style.css as style.<the first 10 hex digits of its SHA-256>.css */
const hashed = (name: string, content: string | Buffer) =>
  name.replace(/(\.\w+)$/, `.${createHash("sha256").update(content).digest("hex").slice(0, 10)}$1`);

/** Safe options only: the output stays valid HTML with every attribute quoted. */
const htmlMinifierOptions = {
  collapseWhitespace: true,
  collapseBooleanAttributes: true,
  decodeEntities: true,
  removeComments: true,
  removeRedundantAttributes: true,
  removeScriptTypeAttributes: true,
  removeStyleLinkTypeAttributes: true,
};

/** `folder`: src/assets/. `minify`: the production build minifies the pages and the stylesheet; the preview need not. */
export const assets: Plugin<{ folder: string; minify: boolean }> = (eleventyConfig, { folder, minify: minifying }) => {
  let made = new Map<string, { fileName: string; content: string | Buffer }>();
  const assetUrl = (name: string) => `/assets/${made.get(name)?.fileName ?? name}`;
  eleventyConfig.addFilter("assetUrl", assetUrl);
  for (const name of ["style.css", "theme.js", "analytics.js"]) eleventyConfig.addWatchTarget(join(folder, name));

  // Made afresh for each build, so the preview shows edits.
  eleventyConfig.on("eleventy.before", async () => {
    made = new Map();
    const add = (name: string, content: string | Buffer) =>
      made.set(name, { fileName: hashed(name, content), content });
    add("roboto.woff2", await readFile(join(folder, "fonts", "roboto.woff2")));
    const stylesheet = join(folder, "style.css");
    const css = fontFaceCss(assetUrl("roboto.woff2")) + (await readText(stylesheet));
    add("style.css", minifying ? minifiedCss(css, stylesheet) : css);
    for (const name of ["theme.js", "analytics.js"]) add(name, await readText(join(folder, name)));
  });
  eleventyConfig.on("eleventy.after", async ({ directories }) => {
    await mkdir(join(directories.output, "assets"), { recursive: true });
    for (const { fileName, content } of made.values())
      await writeFile(join(directories.output, "assets", fileName), content);
  });
  if (minifying)
    eleventyConfig.addTransform("minify-html", function (content) {
      return String(this.page.outputPath).endsWith(".html") ? minify(content, htmlMinifierOptions) : content;
    });
};
