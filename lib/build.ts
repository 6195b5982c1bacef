// The production build: Eleventy writes into a fresh folder beside the output,
// which replaces the output only once the whole build has succeeded. A failed
// build leaves the last good output as it was; a removed page disappears. A
// build that was killed leaves its folder behind, named with its process id:
// the next build removes the folders of builds no longer running.
import Eleventy from "@11ty/eleventy";
import { rmSync } from "node:fs";
import { chmod, mkdtemp, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

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
  await removeKilledBuilds(target);
  const staging = await mkdtemp(join(dirname(target), `.${basename(target)}-build-${process.pid}-`));
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
    failedBuilds.add(staging);
    throw error;
  }
}

/**
 * The folders of this process's failed builds. Eleventy stops waiting once one page fails, while other pages
 * and copies may still be writing into the folder: it goes when the process ends, and nothing can write any more.
 */
const failedBuilds = new Set<string>();
process.once("exit", () => {
  for (const folder of failedBuilds) rmSync(folder, { recursive: true, force: true });
});

/** Whether the process `pid` is running (signal 0 only asks). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes what builds of `target` that are no longer running left beside it. One killed between the two
 * renames of replaceFolder left the last good output as its "-previous" folder: that goes back in place.
 */
async function removeKilledBuilds(target: string): Promise<void> {
  const pattern = new RegExp(`^\\.${basename(target).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-build-(\\d+)-`);
  for (const name of await readdir(dirname(target))) {
    const pid = pattern.exec(name)?.[1];
    if (pid === undefined || running(Number(pid))) continue;
    const folder = join(dirname(target), name);
    const restored =
      name.endsWith("-previous") &&
      (await rename(folder, target).then(
        () => true,
        () => false,
      ));
    if (!restored) await rm(folder, { recursive: true, force: true });
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
