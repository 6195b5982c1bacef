// Declarations for the packages used without types of their own.
declare module "@11ty/eleventy" {
  export default class Eleventy {
    constructor(input: string, output: string, options: { configPath: string; quietMode?: boolean });
    write(): Promise<unknown>;
    /** Public on the class, though not on 11ty.dev: keeps Eleventy from printing errors itself. */
    disableLogger(): void;
  }
}

// @11ty/eleventy-img 6, as scripts/brand-assets.ts calls it.
declare module "@11ty/eleventy-img" {
  type Rendition = { url: string; width: number; height: number };
  export default function eleventyImage(
    source: Buffer,
    options: { widths: number[]; formats: string[]; svgShortCircuit: boolean; outputDir: string; urlPath: string },
  ): Promise<Record<string, Rendition[]>>;
}

declare module "subset-font" {
  export default function subsetFont(
    font: Buffer,
    text: string,
    options: { targetFormat: "woff2"; variationAxes: Record<string, { min: number; max: number }> },
  ): Promise<Buffer>;
}
