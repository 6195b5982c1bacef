// `npm run brand-assets`: the portal's brand images at the sizes the layout
// shows them (AVIF with a WebP fallback, through @11ty/eleventy-img; an SVG
// as it is) and Roboto cut down to the characters and weights the pages use.
// Their output is committed under src/assets/, so a build never loads sharp
// or HarfBuzz; run this again after a brand file or a width below changes.
import eleventyImage from "@11ty/eleventy-img";
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import sharp from "sharp";
import subsetFont from "subset-font";
import { unicodeRange } from "../lib/assets.ts";
import { loadSite } from "../lib/site.ts";

const brand = "src/assets/brand";
const imageFolder = "src/assets/img";
const site = loadSite("src/_data/site.json");
// 1x and 2x of each slot (style.css); the banner shows a band four times as wide as high.
const logo = { widths: [330, 660, 1300] };
const supporter = { widths: [150, 300] };
const requests: Record<string, { widths: number[]; aspectRatio?: number }> = {
  [site.logo.light]: logo,
  [site.logo.dark]: logo,
  [site.banner]: { widths: [640, 1274], aspectRatio: 4 },
  ...Object.fromEntries(site.supporters.flatMap(({ light, dark }) => [light, dark].map((name) => [name, supporter]))),
};

/** The band of `source` at `aspectRatio`, 10 % of the spare height down from the top. */
async function cropped(source: Buffer, aspectRatio: number): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(source).metadata();
  const band = Math.min(height, Math.round(width / aspectRatio));
  const area = { left: 0, top: Math.round((height - band) * 0.1), width, height: band };
  return sharp(source).extract(area).toBuffer();
}

rmSync(imageFolder, { recursive: true, force: true });
const renditions: Record<string, Record<string, { url: string; width: number; height: number }[]>> = {};
for (const [name, { widths, aspectRatio }] of Object.entries(requests)) {
  const source = readFileSync(`${brand}/${name}`);
  const made = await eleventyImage(aspectRatio ? await cropped(source, aspectRatio) : source, {
    widths,
    formats: ["avif", "webp", "svg"],
    svgShortCircuit: true,
    outputDir: imageFolder,
    urlPath: "/assets/img/",
  });
  const sizes = Object.entries(made).map(([format, list]) => [
    format,
    list.map(({ url, width, height }) => ({ url, width, height })),
  ]);
  renditions[name] = Object.fromEntries(sizes);
}
writeFileSync("src/assets/renditions.json", JSON.stringify(renditions, null, 2) + "\n");

// The characters the stylesheet says the subset holds, in the weights the pages use.
const ranges = unicodeRange.split(",").map((range) =>
  range
    .slice(2)
    .split("-")
    .map((hex) => parseInt(hex, 16)),
);
const text = String.fromCodePoint(
  ...ranges.flatMap(([from = 0, to = from]) => Array.from({ length: to - from + 1 }, (_, i) => from + i)),
);
const fontsource = createRequire(import.meta.url)
  .resolve("@fontsource-variable/roboto/package.json")
  .replace(/package\.json$/, "");
const font = await subsetFont(readFileSync(`${fontsource}files/roboto-latin-wght-normal.woff2`), text, {
  targetFormat: "woff2",
  variationAxes: { wght: { min: 400, max: 700 } },
});
writeFileSync("src/assets/fonts/roboto.woff2", font);
copyFileSync(`${fontsource}LICENSE`, "src/assets/fonts/OFL.txt");
console.log(`Wrote ${imageFolder}/ and src/assets/fonts/.`);
