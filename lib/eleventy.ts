// Types for the part of Eleventy 3's API this project uses. Eleventy ships no
// TypeScript declarations, so these are written from its documentation.
import type MarkdownIt from "markdown-it";

export interface Directories {
  input: string;
  includes: string;
  data: string;
  output: string;
}

export interface BuildEvent {
  directories: Directories;
  runMode: "build" | "serve" | "watch";
  /** Whether this build renders only what changed (--incremental). */
  incremental: boolean;
}

export interface BuiltEvent extends BuildEvent {
  /** Each page written, as written (after the transforms). */
  results: { url: string | false; outputPath: string | false; content: string }[];
}

export interface ContentMapEvent {
  urlToInputPath: Record<string, unknown>;
  /** Each template's URLs, by its path as Eleventy names it ("./src/privacy.md"). */
  inputPathToUrl: Record<string, string[]>;
}

export interface PageContext {
  page: { url: string | false; inputPath: string; outputPath: string | false };
}

export interface EleventyConfig {
  /** The project's folders, as given on the command line or to the constructor. */
  readonly directories: Directories;
  addPlugin<Options>(plugin: Plugin<Options>, options: Options): void;
  addPlugin(plugin: Plugin): void;
  addFilter(name: string, filter: (...args: never[]) => unknown): void;
  /** The filter of that name, Eleventy's own or a plugin's; undefined where there is none. */
  getFilter(name: string): unknown;
  addGlobalData(name: string, value: unknown): void;
  addTransform(name: string, transform: (this: PageContext, content: string) => string | Promise<string>): void;
  addWatchTarget(path: string): void;
  /** Files Eleventy copies into the output as they are: each source path, to its path in the output. */
  addPassthroughCopy(copies: Record<string, string>): void;
  /** A template with no file of its own in the input folder, at `virtualPath` inside it. */
  addTemplate(virtualPath: string, content: string, data: Record<string, unknown>): void;
  setChokidarConfig(options: { awaitWriteFinish?: { stabilityThreshold: number; pollInterval: number } | false }): void;
  /** Whether an event's listeners run one after another or all at once (Eleventy 3's default). */
  setEventEmitterMode(mode: "sequential" | "parallel"): void;
  setLibrary(extension: "md", library: MarkdownIt): void;
  /** The dev server's options: `module` names a server package in node_modules to use instead of Eleventy's. */
  setServerOptions(options: { module?: string; host?: string }): void;
  on(event: "eleventy.before", listener: (event: BuildEvent) => void | Promise<void>): void;
  on(event: "eleventy.after", listener: (event: BuiltEvent) => void | Promise<void>): void;
  /** Before each rebuild of the watch: the files changed. */
  on(event: "eleventy.beforeWatch", listener: (changed: string[]) => void): void;
  on(event: "eleventy.contentMap", listener: (event: ContentMapEvent) => void): void;
}

/** An Eleventy plugin with typed options, as registered with `addPlugin`. */
export type Plugin<Options = void> = (eleventyConfig: EleventyConfig, options: Options) => void;
