// The preview (`npm start`): what Eleventy's dev server watches, how soon it
// rebuilds, where it listens, and how it starts again after a first build
// that failed.
import { existsSync, watch, writeFileSync } from "node:fs";
import type { Plugin } from "./eleventy.ts";

export interface PreviewOptions {
  /** Files outside Eleventy's templates whose edits should rebuild, such as the stylesheet. */
  targets: string[];
  /** The address the dev server listens on: this machine only, unless the maintainer asks otherwise. */
  host: string;
  /** A file Node's watcher restarts the preview on (scripts/preview.ts); none outside `npm start`. */
  restartSignal?: string | undefined;
}

export const preview: Plugin<PreviewOptions> = (eleventyConfig, { targets, host, restartSignal }) => {
  for (const target of targets) eleventyConfig.addWatchTarget(target);
  // Eleventy waits until a changed file has been still for 150 ms before it
  // rebuilds; editors save in one write, so 30 ms keeps that guard against
  // half-written files and takes most of the wait out of every save.
  eleventyConfig.setChokidarConfig({ awaitWriteFinish: { stabilityThreshold: 30, pollInterval: 10 } });
  // Eleventy's dev server listens on every interface, so anyone on the maintainer's network could open the
  // preview: ours, Eleventy's with the address as an option (lib/preview-server/, linked as a package).
  eleventyConfig.setServerOptions({ module: "privacy-preview-server", host });
  // Eleventy's dev server exits when a build fails before it has served the site (its first, or its first after
  // Node restarted it for a code change), and Node's watcher would then wait for an edit of the code, not of the
  // pages. So this process stays, and the next save of a page or template has Node start it again.
  if (restartSignal) {
    process.once("beforeExit", (code) => {
      if (!code) return;
      console.error("The preview's first build failed: it starts again when you save a fix.");
      const { input, includes } = eleventyConfig.directories;
      for (const folder of [...new Set([input, includes])].filter((path) => existsSync(path)))
        watch(folder, { recursive: true }, () => writeFileSync(restartSignal, `${Date.now()}`));
    });
  }
};
