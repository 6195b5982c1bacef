// Types for the part of Eleventy 3's documented API this project uses. Eleventy
// ships no TypeScript declarations, so these are written from 11ty.dev.
import type { MarkdownIt } from "markdown-it";

export type Directories = { input: string; includes: string; data: string; output: string };
type Listener<Event> = (event: Event) => void | Promise<void>;
/** What a transform can read of the page it is given. */
type PageContext = { page: { url: string | false; inputPath: string; outputPath: string | false } };

export interface EleventyConfig {
  readonly directories: Directories;
  readonly ignores: Set<string>;
  addPlugin<Options>(plugin: Plugin<Options>, options: Options): void;
  addFilter(name: string, filter: (...args: never[]) => unknown): void;
  addGlobalData(name: string, value: unknown): void;
  addTransform(name: string, transform: (this: PageContext, content: string) => string | Promise<string>): void;
  addWatchTarget(path: string): void;
  addPassthroughCopy(copies: Record<string, string>): void;
  setServerPassthroughCopyBehavior(behavior: "passthrough" | "copy"): void;
  setChokidarConfig(options: { awaitWriteFinish: { stabilityThreshold: number; pollInterval: number } }): void;
  setLibrary(extension: "md", library: MarkdownIt): void;
  on(event: "eleventy.before" | "eleventy.after", listener: Listener<{ directories: Directories }>): void;
  /** Each build's URLs, by the template that makes them. */
  on(event: "eleventy.contentMap", listener: Listener<{ urlToInputPath: Record<string, unknown> }>): void;
}

/** An Eleventy plugin with typed options, as registered with `addPlugin`. */
export type Plugin<Options> = (eleventyConfig: EleventyConfig, options: Options) => void;
