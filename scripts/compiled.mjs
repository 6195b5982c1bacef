// @ts-check
// Our TypeScript compiled by esbuild into .cache/<name>-<hash>/, named by a
// hash of the sources, so it is compiled again only after one has changed.
// `npm run build` (scripts/build.mjs) and `npm test` (scripts/test.mjs) run
// their TypeScript from there as plain JavaScript, without a loader.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));
const cache = join(root, ".cache");

/** The TypeScript files (not declarations) in each of `folders`, as paths from the project's folder. */
export function typeScriptIn(/** @type {string[]} */ ...folders) {
  return folders.flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true })
      .map((file) => `${folder}/${file}`)
      .filter((path) => path.endsWith(".ts") && !path.endsWith(".d.ts")),
  );
}

/**
 * esbuild's options for our Node code: ES modules for Node 20, packages left
 * as imports (they are installed beside the output's project).
 * @type {import("esbuild").BuildOptions}
 */
export const forNode = { bundle: true, packages: "external", platform: "node", format: "esm", target: "node20", logLevel: "warning" };

/**
 * The folder of esbuild's output for `options` (all but the folders), made
 * now if no earlier call made it from the same `sources`: every file the
 * output depends on, this module and package-lock.json (esbuild's version)
 * included. Only the newest folder of each `name` is kept.
 * @param {string} name
 * @param {string[]} sources
 * @param {import("esbuild").BuildOptions} options
 */
export async function compiled(name, sources, options) {
  const hash = createHash("sha256");
  for (const file of [...sources, "scripts/compiled.mjs", "package-lock.json"].sort()) hash.update(file).update(readFileSync(join(root, file)));
  const outdir = join(cache, `${name}-${hash.digest("hex").slice(0, 16)}`);
  if (existsSync(outdir)) return outdir;

  const { build } = await import("esbuild");
  mkdirSync(cache, { recursive: true });
  // Made aside and renamed into place, so a process beside this one never sees half of it.
  const staging = mkdtempSync(join(cache, "staging-"));
  try {
    await build({ ...options, absWorkingDir: root, outdir: staging, outbase: "." });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  try {
    renameSync(staging, outdir);
    for (const old of readdirSync(cache)) {
      if (old.startsWith(`${name}-`) && join(cache, old) !== outdir) rmSync(join(cache, old), { recursive: true, force: true });
    }
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another process made the same output first
  }
  return outdir;
}
