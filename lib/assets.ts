// Files the pages load (stylesheet, tracker configuration), written under
// /assets/ with a hash of their content in the name: browsers may keep them
// for a year, and a change gets a new name. Templates ask `assetUrl` for it.
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Plugin } from "./eleventy.ts";

/** Each asset's name (such as "style.css") and how to make its content. */
export type AssetSources = Record<string, () => string | Promise<string>>;

function hashedName(name: string, content: string): string {
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 10);
  const dot = name.lastIndexOf(".");
  return `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
}

export const hashedAssets: Plugin<AssetSources> = (eleventyConfig, sources) => {
  let assets = new Map<string, { fileName: string; content: string }>();

  // Made afresh for each build, so edits show up on the dev server.
  eleventyConfig.on("eleventy.before", async () => {
    const made = await Promise.all(
      Object.entries(sources).map(async ([name, make]) => {
        const content = await make();
        return [name, { fileName: hashedName(name, content), content }] as const;
      }),
    );
    assets = new Map(made);
  });

  eleventyConfig.addFilter("assetUrl", (name: string) => {
    const asset = assets.get(name);
    if (!asset) throw new Error(`assetUrl: no asset named "${name}"; there are ${[...assets.keys()].join(", ")}.`);
    return `/assets/${asset.fileName}`;
  });

  eleventyConfig.on("eleventy.after", async ({ directories }) => {
    const folder = join(directories.output, "assets");
    await mkdir(folder, { recursive: true });
    await Promise.all([...assets.values()].map(({ fileName, content }) => writeFile(join(folder, fileName), content)));
  });
};
