// Files the pages load (stylesheet, scripts, font), written under /assets/
// with a hash of their content in the name: browsers may keep them for a
// year, and a change gets a new name. Templates ask `assetUrl` for it.
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Plugin } from "./eleventy.ts";

/**
 * Each asset's name (such as "style.css") and how to make its content. They
 * are made in this order, and each may ask for the URL of one made before it
 * (the stylesheet names the font).
 */
export type AssetSources = Record<
  string,
  (urlOf: (name: string) => string) => string | Buffer | Promise<string | Buffer>
>;

function hashedName(name: string, content: string | Buffer): string {
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 10);
  const dot = name.lastIndexOf(".");
  return `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
}

export const hashedAssets: Plugin<AssetSources> = (eleventyConfig, sources) => {
  let assets = new Map<string, { fileName: string; content: string | Buffer }>();

  const assetUrl = (name: string) => {
    const asset = assets.get(name);
    if (!asset) throw new Error(`assetUrl: no asset named "${name}"; there are ${[...assets.keys()].join(", ")}.`);
    return `/assets/${asset.fileName}`;
  };

  // Made afresh for each build, so edits show up on the dev server.
  eleventyConfig.on("eleventy.before", async () => {
    assets = new Map();
    for (const [name, make] of Object.entries(sources)) {
      const content = await make(assetUrl);
      assets.set(name, { fileName: hashedName(name, content), content });
    }
  });

  eleventyConfig.addFilter("assetUrl", assetUrl);

  eleventyConfig.on("eleventy.after", async ({ directories }) => {
    const folder = join(directories.output, "assets");
    await mkdir(folder, { recursive: true });
    await Promise.all([...assets.values()].map(({ fileName, content }) => writeFile(join(folder, fileName), content)));
  });
};
