// Minified output: every HTML page through html-minifier-terser, the
// stylesheet through clean-css (the CSS minifier html-minifier-terser uses).
//
// Both run in one worker thread (lib/minify-worker.js), started by the first
// text that needs them: the minifiers load on the second core while Eleventy
// renders on the first, and the main thread never loads either. Eleventy hands pages over only once
// it has rendered every page's content, so on large sites a cold build waits
// for the worker at the end (BENCHMARK.md says how long). What they make is
// kept in .cache/ for the next build.
import type { Options } from "html-minifier-terser";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { hashOf, type TextCache } from "./build-cache.ts";
import type { Plugin } from "./eleventy.ts";
import { projectRoot } from "./npm-scripts.ts";
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

type Kind = "html" | "css";
type Reply = { id: number; result: string; error?: undefined } | { id: number; error: string };

/** The minifiers' worker: started on first use, and never keeping the process alive while idle. */
export class MinifierWorker {
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
    const worker = new Worker(join(projectRoot(), "lib", "minify-worker.js"), { workerData: htmlMinifierOptions });
    worker.unref();
    worker.on("message", ({ id, ...reply }: Reply) => {
      const waiting = this.#pending.get(id);
      // Under `node --watch` (npm start) the worker also reports each module it imports, on the same channel.
      if (!waiting) return;
      this.#pending.delete(id);
      if (this.#pending.size === 0) worker.unref();
      if (reply.error === undefined) waiting.resolve(reply.result);
      else waiting.reject(new Error(reply.error));
    });
    // A worker that fails, or ends (killed, out of memory), fails every text it had: none waits forever.
    const stopped = (error: Error) => {
      for (const waiting of this.#pending.values()) waiting.reject(error);
      this.#pending.clear();
      if (this.#worker === worker) this.#worker = undefined;
    };
    worker.on("error", stopped);
    worker.on("exit", (code) => stopped(new Error(`the minifier's worker thread stopped (exit code ${code})`)));
    return (this.#worker = worker);
  }
}

const minifier = new MinifierWorker();

/**
 * `text` minified as `kind`, kept in .cache/minified/ by a hash of what it
 * was made from: a rebuild of unchanged pages minifies nothing and never
 * starts the worker.
 */
async function minifiedCached(kind: Kind, text: string, cache: TextCache): Promise<string> {
  const key = `${hashOf(kind, text, JSON.stringify(htmlMinifierOptions), minifierVersions)}.${kind}`;
  const cached = await cache.read(key);
  if (cached !== undefined) return cached;
  const minified = await minifier.minify(kind, text);
  await cache.write(key, minified);
  return minified;
}

const require = createRequire(import.meta.url);
// A new minifier may minify differently: its version is part of every key.
const minifierVersions = ["html-minifier-terser", "clean-css"]
  .map((name) => (require(`${name}/package.json`) as { version: string }).version)
  .join();

/** The stylesheet in `file`, after `before` (rules made by the build, such as @font-face), minified. */
export async function minifiedStylesheet(file: string, cache: TextCache, before = ""): Promise<string> {
  const stylesheet = before + (await readSourceText(file));
  try {
    return await minifiedCached("css", stylesheet, cache);
  } catch (error) {
    throw new SourceError(
      file,
      undefined,
      `the stylesheet has an error: ${(error as Error).message}.`,
      "correct the CSS at the place named.",
    );
  }
}

export const minifyHtmlOutput: Plugin<{ cache: TextCache }> = (eleventyConfig, { cache }) => {
  eleventyConfig.addTransform("minify-html", function (content) {
    const { outputPath } = this.page;
    return outputPath && outputPath.endsWith(".html") ? minifiedCached("html", content, cache) : content;
  });
  eleventyConfig.on("eleventy.after", () => cache.prune());
};
