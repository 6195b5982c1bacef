// The production build: Eleventy writes into a fresh folder beside the output,
// which replaces the output only once the whole build has succeeded. A failed
// build leaves the last good output as it was; a removed page disappears.
import Eleventy from "@11ty/eleventy";
import { chmod, mkdtemp, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { abandonOutput } from "./build-problems.ts";

export interface BuildOptions {
  /** Eleventy's input folder. */
  input?: string;
  /** The folder that receives the site, replaced as a whole. */
  output: string;
  /** Eleventy's configuration. */
  configFile?: string;
}

export interface BuildResult {
  /** The HTML pages written. */
  pages: number;
}

/** Eleventy's configuration, the project's own. */
export const eleventyConfigFile = fileURLToPath(new URL("../.eleventy.ts", import.meta.url));

export async function build({
  input = "src",
  output,
  configFile = eleventyConfigFile,
}: BuildOptions): Promise<BuildResult> {
  const target = resolve(output);
  const staging = await mkdtemp(join(dirname(target), `.${basename(target)}-build-`));
  try {
    const eleventy = new Eleventy(input, staging, { configPath: configFile, quietMode: true, runMode: "build" });
    // Errors are the caller's to report, once, in its own words.
    eleventy.disableLogger();
    await eleventy.write();
    const pages = (await readdir(staging, { recursive: true })).filter((file) => file.endsWith(".html")).length;
    // mkdtemp made the folder private; the output is for web servers to read.
    await chmod(staging, 0o755);
    await replaceFolder(target, staging);
    return { pages };
  } catch (error) {
    // Eleventy may still be rendering other pages when one fails: once the folder is abandoned none of
    // them is written (lib/build-problems.ts), and a page already let through is written within this turn.
    abandonOutput(staging);
    await nextTurn();
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
