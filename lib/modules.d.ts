// Declarations for packages that ship without types. First the Eleventy class, which Eleventy 3 ships without types.
declare module "@11ty/eleventy" {
  interface EleventyOptions {
    configPath?: string;
    quietMode?: boolean;
    runMode?: "build" | "serve" | "watch";
  }
  interface WrittenTemplate {
    url: string | false;
    outputPath: string | false;
  }
  export default class Eleventy {
    constructor(input?: string, output?: string, options?: EleventyOptions);
    write(): Promise<[unknown, WrittenTemplate[]]>;
    disableLogger(): void;
  }
}

// Declarations for the part of @11ty/eleventy-img (6.x) lib/images.ts uses.
declare module "@11ty/eleventy-img" {
  interface ImageOptions {
    widths: number[];
    formats: string[];
    svgShortCircuit?: boolean;
    outputDir: string;
    urlPath: string;
  }
  interface ImageStats {
    url: string;
    width: number;
    height: number;
    sourceType: string;
    outputPath: string;
  }
  export default function eleventyImage(
    source: string | Buffer,
    options: ImageOptions,
  ): Promise<Record<string, ImageStats[]>>;
}

// Declarations for subset-font (2.x), which ships none: lib/fonts.ts.
declare module "subset-font" {
  interface SubsetOptions {
    targetFormat: "woff2" | "woff" | "truetype";
    variationAxes?: Record<string, number | { min: number; max: number }>;
  }
  export default function subsetFont(font: Buffer, text: string, options: SubsetOptions): Promise<Buffer>;
}

// Declarations for the part of @11ty/eleventy-dev-server (2.x) lib/preview-server/ uses.
declare module "@11ty/eleventy-dev-server" {
  import type { Server } from "node:http";
  export default class EleventyDevServer {
    constructor(name: string, dir: string, options: object);
    options: { host?: string };
    get server(): Server;
  }
}

// Declarations for the part of Nunjucks (3.x, Eleventy's own) lib/template-syntax.ts uses: its parser and lexer.
declare module "nunjucks" {
  interface LexerToken {
    type: string;
    value: string;
    /** From 0. */
    lineno: number;
  }
  const nunjucks: {
    /** Throws an error whose lineno counts from 1, or has none at the end of the text. */
    parser: { parse(source: string): unknown };
    lexer: { lex(source: string): { nextToken(): LexerToken | null } };
  };
  export default nunjucks;
}
