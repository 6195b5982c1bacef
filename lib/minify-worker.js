// @ts-check
// The minifiers' worker thread (lib/minify.ts starts it): clean-css for the
// stylesheet and html-minifier-terser for pages, with the options the main
// thread hands over as workerData. Plain JavaScript, so Node loads it as it
// is, from the sources and from the build's bundle alike.
import { createRequire } from "node:module";
import { parentPort, workerData } from "node:worker_threads";

const require = createRequire(import.meta.url);
/** @type {typeof import("clean-css")} */
const CleanCSS = require("clean-css");
const css = new CleanCSS({ level: 1 });

/** @type {typeof import("html-minifier-terser").minify | undefined} */
let minifyHtml;
// Loaded only after the stylesheet: the build waits for the stylesheet before
// it renders any page, and needs the HTML minifier once pages are rendered.
const htmlMinifier = () =>
  (minifyHtml ??= /** @type {typeof import("html-minifier-terser")} */ (require("html-minifier-terser")).minify);

/** @type {Record<"html" | "css", (text: string) => string | Promise<string>>} */
const minifiers = {
  html: (text) => htmlMinifier()(text, workerData),
  css: (text) => {
    setImmediate(htmlMinifier);
    const { styles, errors, warnings } = css.minify(text);
    if (errors.length || warnings.length) throw new Error(errors.concat(warnings)[0]);
    return styles;
  },
};

parentPort?.on(
  "message",
  async (/** @type {{ id: number; kind: "html" | "css"; text: string }} */ { id, kind, text }) => {
    try {
      parentPort?.postMessage({ id, result: await minifiers[kind](text) });
    } catch (error) {
      parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  },
);
