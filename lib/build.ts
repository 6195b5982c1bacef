// The production build: Eleventy writes into a fresh folder beside the output,
// which replaces the output only once the whole build has succeeded. A failed
// build leaves the last good output as it was; a removed page disappears.
import Eleventy from "@11ty/eleventy";
import { chmod, mkdtemp, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

export interface BuildOptions {
  /** Eleventy's input folder. */
  input?: string;
  /** The folder that receives the site, replaced as a whole. */
  output: string;
}

export interface BuildResult {
  pages: number;
}

export const eleventyConfigFile = ".eleventy.ts";

export async function build({ input = "src", output }: BuildOptions): Promise<BuildResult> {
  const target = resolve(output);
  const staging = await mkdtemp(join(dirname(target), `.${basename(target)}-build-`));
  try {
    const eleventy = new Eleventy(input, staging, { configPath: eleventyConfigFile, quietMode: true, runMode: "build" });
    // Errors are the caller's to report, once, in its own words.
    eleventy.disableLogger();
    const [, templates] = await eleventy.write();
    // mkdtemp made the folder private; the output is for web servers to read.
    await chmod(staging, 0o755);
    await replaceFolder(target, staging);
    return { pages: templates.filter((template) => template.outputPath).length };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Swaps `replacement` in for `target` with renames, so `target` is never half written. */
async function replaceFolder(target: string, replacement: string): Promise<void> {
  const previous = `${replacement}-previous`;
  const hadTarget = await rename(target, previous).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return false;
      throw error;
    },
  );
  await rename(replacement, target);
  if (hadTarget) await rm(previous, { recursive: true, force: true });
}
