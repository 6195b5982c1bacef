// Every mistake a build finds in its sources, reported at once, and a
// failed build that writes nothing more.
//
// The checks add what they find to BuildProblems and the build goes on, so
// one run lists every mistake, in the order of the files. The holdPages
// transform, the last, holds each page the checks read until they have seen
// them all: then either those pages are written, or none is and the build
// fails with the whole list. So a preview keeps serving the last good page.
// (Only Markdown pages are held: the front matter schema allows them no
// pagination, whose pages Eleventy renders one after another.)
//
// Eleventy writes a page as soon as its last transform returns, in the same
// turn of the event loop (its default, synchronous writeMode), and when one
// page fails it stops waiting for the others, which go on rendering. So
// lib/build.ts marks a failed build's folder as abandoned, lets one turn of
// the event loop pass, and removes it: holdPages lets no page into a folder
// once it is abandoned, and our own writes into the output come only in
// eleventy.after, which a failed build never reaches.
import { sep } from "node:path";
import type { Plugin } from "./eleventy.ts";
import { SourceError, SourceErrors } from "./source-error.ts";

export class BuildProblems {
  #found: SourceError[] = [];
  #held = new Set<string>();
  #allChecked = Promise.resolve();
  #checksDone: () => void = () => undefined;

  add(problem: SourceError | undefined): void {
    if (problem) this.#found.push(problem);
  }

  /** Runs `check`, keeping the mistake it throws, if any. */
  attempt(check: () => void): void {
    try {
      check();
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      this.add(error);
    }
  }

  /** A new build: no mistake found yet. */
  startBuild(): void {
    this.#found = [];
    this.#held = new Set();
    this.#allChecked = new Promise((resolve) => (this.#checksDone = resolve));
  }

  /** The URLs of the pages the checks read: held until the checks have seen them all. */
  hold(urls: Iterable<string>): void {
    this.#held = new Set(urls);
  }

  /** The checks have seen every page they read, and followed every link: every mistake is known. */
  checksDone(): void {
    this.#checksDone();
  }

  /** Waits, for a held page, until every mistake is known, and throws them all, if there is any. */
  async release(url: string): Promise<void> {
    if (!this.#held.has(url)) return;
    await this.#allChecked;
    if (this.#found.length > 0) throw new SourceErrors(this.#found);
  }
}

/** Output folders of failed builds (each a new temporary folder, never used again): no page is written into them. */
const abandoned = new Set<string>();

export const abandonOutput = (folder: string): void => void abandoned.add(folder);

export const holdPages: Plugin<{ problems: BuildProblems }> = (eleventyConfig, { problems }) => {
  eleventyConfig.addTransform("hold-pages", async function (content) {
    const { url, outputPath } = this.page;
    if (!outputPath || url === false) return content;
    await problems.release(url);
    const folder = [...abandoned].find((folder) => outputPath.startsWith(folder + sep));
    if (folder) throw new Error(`${outputPath} was not written: the build into ${folder} had already failed.`);
    return content;
  });
};
