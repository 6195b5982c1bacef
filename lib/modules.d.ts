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

// Declarations for the part of Nunjucks (3.x, Eleventy's own) lib/template-syntax.ts uses: its parser, lexer,
// template nodes and built-in filters.
declare module "nunjucks" {
  interface LexerToken {
    type: string;
    value: string;
    /** From 0. */
    lineno: number;
  }
  /** A node of a parsed template; its lineno counts from 0. */
  class Node {
    lineno: number;
    findAll<T extends Node>(type: abstract new (...args: never[]) => T): T[];
  }
  class Literal extends Node {
    value: unknown;
  }
  /** A name, such as a variable's: a Literal too, in Nunjucks. */
  class Symbol extends Literal {}
  class Filter extends Node {
    name: { value: string };
  }
  /** Include, Import, FromImport and Extends: a template named by `template`. */
  class TemplateReference extends Node {
    template: Node;
  }
  const nunjucks: {
    /** Throws an error whose lineno counts from 1, or has none at the end of the text. */
    parser: { parse(source: string): Node };
    lexer: { lex(source: string): { nextToken(): LexerToken | null } };
    nodes: {
      Literal: typeof Literal;
      Symbol: typeof Symbol;
      Filter: typeof Filter;
      Include: typeof TemplateReference;
      Import: typeof TemplateReference;
      FromImport: typeof TemplateReference;
      Extends: typeof TemplateReference;
    };
    /** Throws where the environment has no filter of that name. */
    Environment: new (loaders: never[]) => { getFilter(name: string): unknown };
  };
  export default nunjucks;
}
