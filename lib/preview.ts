// The preview (`npm start`): what Eleventy's dev server watches, how soon it
// rebuilds, and where it listens.
import { createRequire } from "node:module";
import type { Plugin } from "./eleventy.ts";

export interface PreviewOptions {
  /** Files outside Eleventy's templates whose edits should rebuild, such as the stylesheet. */
  targets: string[];
  /** The address the dev server listens on: this machine only, unless the maintainer asks otherwise. */
  host: string;
}

interface DevServer {
  server: { listen(options: { port: number; host: string }): void };
}

export const preview: Plugin<PreviewOptions> = (eleventyConfig, { targets, host }) => {
  for (const target of targets) eleventyConfig.addWatchTarget(target);
  // Eleventy waits until a changed file has been still for 150 ms before it
  // rebuilds; editors save in one write, so 30 ms keeps that guard against
  // half-written files and takes most of the wait out of every save.
  eleventyConfig.setChokidarConfig({ awaitWriteFinish: { stabilityThreshold: 30, pollInterval: 10 } });
  if (process.env.ELEVENTY_RUN_MODE !== "serve") return;
  // Eleventy's dev server (2.1) listens on every interface, so anyone on the
  // maintainer's network could open the preview, and it has no option for the
  // address: its one listen call is given one.
  const { prototype } = createRequire(import.meta.url)("@11ty/eleventy-dev-server") as { prototype: { _serverListen(this: DevServer, port: number): void } };
  prototype._serverListen = function (port) {
    this.server.listen({ port, host });
  };
};
