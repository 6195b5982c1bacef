// The portal's shared layout, as every page of genomes.scilifelab.se shows
// it: what its templates (_includes/header.njk, footer.njk) need beyond the
// site data. The icons are Bootstrap Icons, as on the portal, but inline SVG
// rather than an icon font (130 KB); the brand images go to lib/images.ts
// with the sizes they are shown at.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Plugin } from "./eleventy.ts";
import type { ImageRequest } from "./images.ts";
import type { HeaderNavigation, Link, Site } from "./site.ts";

/** The layout's slots, for the browser to pick an image's rendition (see style.css). */
export const imageSizes = {
  // The logo's height steps from 1rem to 2.3rem with the window; it is 17.6 times as wide as high.
  logo: "(min-width: 1400px) 648px, (min-width: 1200px) 507px, (min-width: 992px) 394px, (min-width: 768px) 479px, (min-width: 576px) 423px, (min-width: 496px) 394px, (min-width: 436px) 338px, 282px",
  supporter: "150px",
};

/** The widths to make of each brand image: 1x and 2x of its slot. */
export function brandImages(site: Site): Record<string, ImageRequest> {
  const logo = { widths: [330, 660, 1300] };
  const supporter = { widths: [150, 300] };
  return {
    [site.logo.light]: logo,
    [site.logo.dark]: logo,
    // The banner shows a band about five times as wide as high: no need to send the rest.
    [site.banner]: { widths: [640, 1274], aspectRatio: 4 },
    ...Object.fromEntries(
      site.supporters.flatMap(({ light, dark }) => [
        [light, supporter],
        [dark, supporter],
      ]),
    ),
  };
}

/** The narrow screens' menu: the header's links in the portal's order for it. */
export function menuLinks({ primary, secondary, menuOrder }: HeaderNavigation): Link[] {
  const byHref = new Map([...primary, ...secondary].map((link) => [link.href, link]));
  return menuOrder.map((href) => byHref.get(href)!);
}

/** A Bootstrap icon as inline SVG, hidden from assistive technology (its link carries the name). */
export function iconSvg(name: string): string {
  const file = createRequire(import.meta.url).resolve(`bootstrap-icons/icons/${name}.svg`);
  const svg = readFileSync(file, "utf8").trim();
  return svg
    .replace(
      /^<svg [^>]*?(viewBox="[^"]+")[^>]*>/,
      '<svg class="icon" width="16" height="16" fill="currentColor" $1 aria-hidden="true" focusable="false">',
    )
    .replace(/\n\s*/g, "");
}

export interface PortalLayoutOptions {
  /** The folder of the brand files (logos, banner, favicons and their licence). */
  brand: string;
}

export const portalLayout: Plugin<PortalLayoutOptions> = (eleventyConfig, { brand }) => {
  const icons = new Map<string, string>();
  eleventyConfig.addFilter("icon", (name: string) => icons.get(name) ?? icons.set(name, iconSvg(name)).get(name));
  eleventyConfig.addFilter("menuLinks", menuLinks);
  eleventyConfig.addGlobalData("logoSizes", imageSizes.logo);
  eleventyConfig.addGlobalData("supporterSizes", imageSizes.supporter);
  // Favicons where the portal has them; the brand files' MIT licence beside the images.
  eleventyConfig.addPassthroughCopy({
    [join(brand, "favicon-16x16.png")]: "favicons/favicon-16x16.png",
    [join(brand, "favicon-32x32.png")]: "favicons/favicon-32x32.png",
    [join(brand, "apple-touch-icon.png")]: "favicons/apple-touch-icon.png",
    [join(brand, "LICENSE")]: "assets/img/LICENSE.txt",
  });
};
