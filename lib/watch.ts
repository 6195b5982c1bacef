// What the dev server (`npm start`) watches, and how soon it rebuilds.
import type { Plugin } from "./eleventy.ts";

export interface WatchOptions {
  /** Files outside Eleventy's templates whose edits should rebuild, such as the stylesheet. */
  targets: string[];
}

export const watch: Plugin<WatchOptions> = (eleventyConfig, { targets }) => {
  for (const target of targets) eleventyConfig.addWatchTarget(target);
  // Eleventy waits until a changed file has been still for 150 ms before it
  // rebuilds; editors save in one write, so 30 ms keeps that guard against
  // half-written files and takes most of the wait out of every save.
  eleventyConfig.setChokidarConfig({ awaitWriteFinish: { stabilityThreshold: 30, pollInterval: 10 } });
};
