// The portal's brand images, resized for the sizes they are shown at and
// re-encoded as AVIF with a WebP fallback by Eleventy's image plugin
// (@11ty/eleventy-img; an SVG stays as it is). Renditions are kept under
// .cache/images/ with a manifest named by a hash of the source and the
// options, so a build whose images have not changed neither loads the image
// plugin nor touches sharp: it copies the files it already has.
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { hashOf, writeAtomically } from "./build-cache.ts";
import type { Plugin } from "./eleventy.ts";
import type { ThemedImage } from "./site.ts";
import { SourceError } from "./source-error.ts";

export interface ImageRequest {
  /** The widths to make, in pixels; the image plugin leaves out any wider than the source. */
  widths: number[];
  /** Crop to this width:height first, keeping the band 10 % down from the top (the banner shows no more). */
  aspectRatio?: number;
}

export interface ImagesOptions {
  /** Where the source images are. */
  source: string;
  /** Where renditions are kept between builds. */
  cache: string;
  /** Each image the pages show, by file name. */
  images: Record<string, ImageRequest>;
}

export interface Rendition {
  url: string;
  width: number;
  height: number;
  sourceType: string;
  /** The file in the cache. */
  outputPath: string;
}

/** The renditions of one image, by format, narrowest first (the shape the image plugin returns). */
export type Renditions = Record<string, Rendition[]>;

export const imageUrlPath = "/assets/img/";
const themes = ["light", "dark"] as const;
const formats = ["avif", "webp", "svg"];

/** The renditions of `file`, from the cache where it has them, otherwise made now. */
export async function renditions(
  file: string,
  { widths, aspectRatio }: ImageRequest,
  cache: string,
): Promise<Renditions> {
  let source: Buffer;
  try {
    source = await readFile(file);
  } catch {
    throw new SourceError(
      file,
      undefined,
      "the image does not exist.",
      "put the file there, or correct its name in src/_data/site.json.",
    );
  }
  const manifest = join(
    cache,
    `${basename(file)}.${hashOf(source, JSON.stringify({ widths, aspectRatio, formats, imageUrlPath }))}.json`,
  );
  if (existsSync(manifest)) {
    const cached = JSON.parse(await readFile(manifest, "utf8")) as Renditions;
    if (
      Object.values(cached)
        .flat()
        .every((rendition) => existsSync(rendition.outputPath))
    )
      return cached;
  }
  const { default: eleventyImage } = await import("@11ty/eleventy-img");
  if (aspectRatio) source = await cropped(source, aspectRatio);
  // Made aside and renamed into place: a build beside this one (the tests run several) must never copy a
  // file half written, nor the image plugin take one for done, as it takes any file already there.
  await mkdir(cache, { recursive: true });
  const staging = await mkdtemp(join(cache, "staging-"));
  try {
    const made: Renditions = await eleventyImage(source, {
      widths,
      formats,
      svgShortCircuit: true,
      outputDir: staging,
      urlPath: imageUrlPath,
    });
    for (const rendition of Object.values(made).flat()) {
      const kept = join(cache, basename(rendition.outputPath));
      await rename(rendition.outputPath, kept);
      rendition.outputPath = kept;
    }
    await writeAtomically(manifest, JSON.stringify(made));
    return made;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The band of `source` at `aspectRatio`, 10 % of the spare height down from the top. */
async function cropped(source: Buffer, aspectRatio: number): Promise<Buffer> {
  const { default: sharp } = await import("sharp");
  const { width = 0, height = 0 } = await sharp(source).metadata();
  const bandHeight = Math.min(height, Math.round(width / aspectRatio));
  return sharp(source)
    .extract({ left: 0, top: Math.round((height - bandHeight) * 0.1), width, height: bandHeight })
    .toBuffer();
}

export interface PictureAttributes {
  alt: string;
  /** The slot's width, for the browser to pick a rendition, such as "150px". */
  sizes: string;
  class?: string;
  loading?: "lazy" | "eager";
  fetchpriority?: "high" | "low";
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
const srcset = (list: Rendition[]) => list.map((rendition) => `${rendition.url} ${rendition.width}w`).join(", ");

/**
 * A <picture> (or an <img> for an SVG) with width and height, so the page does not move while it loads.
 * The image plugin's generateHTML writes the same, but only its main module exports it, and loading that
 * module loads sharp (184 ms here), which a build whose renditions are all cached never needs.
 */
export function pictureHtml(
  image: Renditions,
  { alt, sizes, class: className, loading = "lazy", fetchpriority }: PictureAttributes,
): string {
  const fallback = image.svg ?? image.webp!;
  const largest = fallback.at(-1)!;
  const attributes = [
    className && `class="${escape(className)}"`,
    `src="${largest.url}"`,
    image.svg ? "" : `srcset="${srcset(fallback)}" sizes="${escape(sizes)}"`,
    `width="${largest.width}" height="${largest.height}"`,
    `alt="${escape(alt)}"`,
    `loading="${loading}" decoding="async"`,
    fetchpriority && `fetchpriority="${fetchpriority}"`,
  ].filter(Boolean);
  const img = `<img ${attributes.join(" ")}>`;
  if (image.svg || !image.avif) return img;
  return `<picture><source type="image/avif" srcset="${srcset(image.avif)}" sizes="${escape(sizes)}">${img}</picture>`;
}

export const images: Plugin<ImagesOptions> = (eleventyConfig, options) => {
  let made = new Map<string, Renditions>();

  eleventyConfig.on("eleventy.before", async () => {
    const entries = await Promise.all(
      Object.entries(options.images).map(
        async ([name, request]) =>
          [name, await renditions(join(options.source, name), request, options.cache)] as const,
      ),
    );
    made = new Map(entries);
  });

  const pictureOf = (name: string, attributes: PictureAttributes) => {
    const image = made.get(name);
    if (!image) throw new Error(`picture: no image named "${name}"; there are ${[...made.keys()].join(", ")}.`);
    return pictureHtml(image, attributes);
  };
  eleventyConfig.addFilter("picture", pictureOf);

  // Both variants of an image with one for each theme; style.css shows the theme's.
  eleventyConfig.addFilter("themedPicture", (image: ThemedImage, attributes: PictureAttributes) =>
    themes
      .map((theme) =>
        pictureOf(image[theme], {
          ...attributes,
          class: [attributes.class, `${theme}-only`].filter(Boolean).join(" "),
        }),
      )
      .join(""),
  );

  eleventyConfig.on("eleventy.after", async ({ directories }) => {
    const folder = join(directories.output, imageUrlPath);
    await mkdir(folder, { recursive: true });
    const files = [...made.values()].flatMap((image) => Object.values(image).flat());
    await Promise.all(files.map((file) => copyFile(file.outputPath, join(folder, basename(file.url)))));
  });
};
