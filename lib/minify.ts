// Minified output: every HTML page through html-minifier-terser, the
// stylesheet through clean-css (the CSS minifier html-minifier-terser uses).
//
// Both run in one worker thread, started with the configuration: it loads
// the minifiers on the second core while Eleventy loads and renders on the
// first, and then minifies pages as Eleventy hands them over. The main thread
// never loads either minifier. Eleventy hands pages over only once it has
// rendered every page's content, so on large sites the build still waits for
// the worker at the end (BENCHMARK.md says how long).
import type { Options } from "html-minifier-terser";
import { Worker } from "node:worker_threads";
import type { Plugin } from "./eleventy.ts";
import { SourceError } from "./source-error.ts";
import { readSourceText } from "./source-text.ts";

/** Safe options only: the output must stay valid HTML with every attribute quoted. */
const htmlMinifierOptions: Options = {
  collapseWhitespace: true,
  collapseBooleanAttributes: true,
  decodeEntities: true,
  removeComments: true,
  removeRedundantAttributes: true,
  removeScriptTypeAttributes: true,
  removeStyleLinkTypeAttributes: true,
};

// clean-css first: the build waits for the stylesheet before it renders any
// page, and the HTML minifier is only needed once pages are rendered.
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const CleanCSS = require("clean-css");
const css = new CleanCSS({ level: 1 });
let minifyHtml;
const loadHtmlMinifier = () => (minifyHtml ??= require("html-minifier-terser").minify);
const minifiers = {
  html: (text) => loadHtmlMinifier()(text, workerData),
  css: (text) => {
    setImmediate(loadHtmlMinifier);
    const { styles, errors, warnings } = css.minify(text);
    if (errors.length || warnings.length) throw new Error(errors.concat(warnings)[0]);
    return styles;
  },
};
parentPort.on("message", async ({ id, kind, text }) => {
  try {
    parentPort.postMessage({ id, result: await minifiers[kind](text) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});`;

type Kind = "html" | "css";
type Reply = { id: number; result: string; error?: undefined } | { id: number; error: string };

/** The minifiers' worker: started on first use, and never keeping the process alive while idle. */
class MinifierWorker {
  #worker: Worker | undefined;
  #pending = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();
  #nextId = 0;

  minify(kind: Kind, text: string): Promise<string> {
    const worker = this.start();
    if (this.#pending.size === 0) worker.ref();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, kind, text });
    });
  }

  start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(workerSource, { eval: true, workerData: htmlMinifierOptions });
    worker.unref();
    worker.on("message", ({ id, ...reply }: Reply) => {
      const waiting = this.#pending.get(id)!;
      this.#pending.delete(id);
      if (this.#pending.size === 0) worker.unref();
      if (reply.error === undefined) waiting.resolve(reply.result);
      else waiting.reject(new Error(reply.error));
    });
    worker.on("error", (error) => {
      for (const waiting of this.#pending.values()) waiting.reject(error);
      this.#pending.clear();
      this.#worker = undefined;
    });
    return (this.#worker = worker);
  }
}

const minifier = new MinifierWorker();

const minifyHtml = (html: string): Promise<string> => minifier.minify("html", html);

/** The stylesheet in `file`, after `before` (rules made by the build, such as @font-face), minified. */
export async function minifiedStylesheet(file: string, before = ""): Promise<string> {
  const stylesheet = before + (await readSourceText(file));
  try {
    return await minifier.minify("css", stylesheet);
  } catch (error) {
    throw new SourceError(file, undefined, `the stylesheet has an error: ${(error as Error).message}.`, "correct the CSS at the place named.");
  }
}

export const minifyHtmlOutput: Plugin = (eleventyConfig) => {
  minifier.start();
  eleventyConfig.addTransform("minify-html", function (content) {
    return this.page.outputPath && this.page.outputPath.endsWith(".html") ? minifyHtml(content) : content;
  });
};
