// What the portal's shared layout (_includes/) needs beyond the site data:
// the narrow screens' menu, Bootstrap's icons inline (not its 130 KB font),
// the brand images at the sizes scripts/brand-assets.ts made, dates, and
// links to the portal's other pages.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Plugin } from "./eleventy.ts";
import type { Link, Site, ThemedImage } from "./site.ts";

type Renditions = Record<string, { url: string; width: number; height: number }[]>;

/** `sizes`: the slot's width, for the browser to pick a rendition, such as "150px". */
type PictureAttributes = {
  alt: string;
  sizes: string;
  class?: string;
  loading?: "lazy" | "eager";
  fetchpriority?: "high";
};

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
const srcset = (list: Renditions[string]) => list.map(({ url, width }) => `${url} ${width}w`).join(", ");

/** A <picture> (an <img> for an SVG) with width and height, so nothing moves while it loads. */
export function pictureHtml(
  image: Renditions,
  { alt, sizes, class: className, loading = "lazy", fetchpriority }: PictureAttributes,
): string {
  const fallback = image.svg ?? image.webp ?? [];
  const largest = fallback.at(-1)!;
  const attributes = [
    className && `class="${escape(className)}"`,
    `src="${largest.url}"`,
    image.svg ? "" : `srcset="${srcset(fallback)}" sizes="${escape(sizes)}"`,
    `width="${largest.width}" height="${largest.height}"`,
    `alt="${escape(alt)}"`,
    `loading="${loading}" decoding="async"`,
    fetchpriority && `fetchpriority="${fetchpriority}"`,
  ];
  const img = `<img ${attributes.filter(Boolean).join(" ")}>`;
  if (!image.avif) return img;
  return `<picture><source type="image/avif" srcset="${srcset(image.avif)}" sizes="${escape(sizes)}">${img}</picture>`;
}

/** A Bootstrap icon as inline SVG, hidden from assistive technology (its link carries the name). */
export function iconSvg(name: string): string {
  const svg = readFileSync(createRequire(import.meta.url).resolve(`bootstrap-icons/icons/${name}.svg`), "utf8");
  const open = '<svg class="icon" width="16" height="16" fill="currentColor" $1 aria-hidden="true" focusable="false">';
  return svg
    .trim()
    .replace(/^<svg [^>]*?(viewBox="[^"]+")[^>]*>/, open)
    .replace(/\n\s*/g, "");
}

/** The narrow screens' menu: the header's links in the portal's order for it. */
export function menuLinks({ primary, secondary, menuOrder }: Site["headerNavigation"]): Link[] {
  const byHref = new Map([...primary, ...secondary].map((link) => [link.href, link]));
  return menuOrder.map((href) => byHref.get(href)!);
}

/** 2025-03-05, for <time datetime>; always UTC, so a date does not move a day with the machine's time zone. */
export const isoDate = (date: Date): string => date.toISOString().slice(0, 10);

const formats = new Map<string, Intl.DateTimeFormat>();
/** 5 March 2025, day-month-year as the portal writes dates in English. */
export function readableDate(date: Date, lang: string): string {
  if (!formats.has(lang))
    formats.set(lang, new Intl.DateTimeFormat(lang === "en" ? "en-GB" : lang, { dateStyle: "long", timeZone: "UTC" }));
  return formats.get(lang)!.format(date);
}

/**
 * Links like /contact point at portal pages this build does not make: they go to the portal's origin, so they work
 * on any host. Links to pages it makes stay relative, take the page's own URL (/privacy → /privacy/), and the one
 * to the page itself is marked aria-current.
 */
export function portalLinks(html: string, origin: string, built: ReadonlySet<string>, current: string | false): string {
  return html.replace(/<a\b([^>]*?)\shref="(\/(?!\/)[^"#?]*)([^"]*)"([^>]*)>/g, (_, before, path, suffix, after) => {
    const url = [path, path.endsWith("/") ? path.slice(0, -1) : `${path}/`].find((candidate) => built.has(candidate));
    if (url === undefined) return `<a${before} href="${origin}${path}${suffix}"${after}>`;
    const mark = url === current && suffix === "" && !after.includes("aria-current") ? ' aria-current="page"' : "";
    return `<a${before} href="${url}${suffix}"${mark}${after}>`;
  });
}

export const portalLayout: Plugin<{ site: Site; assets: string }> = (eleventyConfig, { site, assets }) => {
  const images: Record<string, Renditions> = JSON.parse(readFileSync(join(assets, "renditions.json"), "utf8"));
  const picture = (name: string, attributes: PictureAttributes) => pictureHtml(images[name] ?? {}, attributes);
  eleventyConfig.addFilter("picture", picture);
  // Both variants of an image with one for each theme; style.css shows the theme's.
  eleventyConfig.addFilter("themedPicture", (image: ThemedImage, { class: name, ...attributes }: PictureAttributes) =>
    (["light", "dark"] as const)
      .map((theme) => picture(image[theme], { ...attributes, class: `${name ?? ""} ${theme}-only`.trim() }))
      .join(""),
  );
  const icons = new Map<string, string>();
  eleventyConfig.addFilter("icon", (name: string) => icons.get(name) ?? icons.set(name, iconSvg(name)).get(name));
  eleventyConfig.addFilter("menuLinks", menuLinks);
  eleventyConfig.addFilter("isoDate", isoDate);
  eleventyConfig.addFilter("readableDate", readableDate);
  // Files to copy, not templates: Eleventy need not look through them for pages.
  eleventyConfig.ignores.add(join(assets, "**"));
  // The preview serves these from where they are, rather than copying them at every save.
  eleventyConfig.setServerPassthroughCopyBehavior("passthrough");
  const brand = join(assets, "brand");
  eleventyConfig.addPassthroughCopy({
    [join(assets, "img")]: "assets/img",
    [join(brand, "LICENSE")]: "assets/img/LICENSE.txt",
    [join(assets, "fonts", "OFL.txt")]: "assets/OFL.txt",
    [join(brand, "favicon-16x16.png")]: "favicons/favicon-16x16.png",
    [join(brand, "favicon-32x32.png")]: "favicons/favicon-32x32.png",
    [join(brand, "apple-touch-icon.png")]: "favicons/apple-touch-icon.png",
  });
  let builtUrls = new Set<string>();
  eleventyConfig.on("eleventy.contentMap", ({ urlToInputPath }) => {
    builtUrls = new Set(Object.keys(urlToInputPath));
  });
  eleventyConfig.addTransform("portal-links", function (content) {
    return this.page.outputPath && String(this.page.outputPath).endsWith(".html")
      ? portalLinks(content, site.origin, builtUrls, this.page.url)
      : content;
  });
};
