// The preview (`npm start`): what Eleventy's dev server watches, how soon it
// rebuilds, and where it listens.
import type { Plugin } from "./eleventy.ts";

export interface PreviewOptions {
  /** Files outside Eleventy's templates whose edits should rebuild, such as the stylesheet. */
  targets: string[];
  /** The address the dev server listens on: this machine only, unless the maintainer asks otherwise. */
  host: string;
}

export const preview: Plugin<PreviewOptions> = (eleventyConfig, { targets, host }) => {
  for (const target of targets) eleventyConfig.addWatchTarget(target);
  // Eleventy waits until a changed file has been still for 150 ms before it
  // rebuilds; editors save in one write, so 30 ms keeps that guard against
  // half-written files and takes most of the wait out of every save.
  eleventyConfig.setChokidarConfig({ awaitWriteFinish: { stabilityThreshold: 30, pollInterval: 10 } });
  // Eleventy's dev server listens on every interface, so anyone on the maintainer's network could open the
  // preview: ours, Eleventy's with the address as an option (lib/preview-server/, linked as a package).
  eleventyConfig.setServerOptions({ module: "privacy-preview-server", host });
};
