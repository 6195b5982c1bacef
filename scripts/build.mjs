// @ts-check
// `npm run build`, without a TypeScript loader: a loader costs about a third
// of a second and 45 MB on every build. esbuild bundles our TypeScript (the
// build script and the Eleventy config; packages stay imports), and Node runs
// it as plain JavaScript. The bundles are kept under .cache/, named by a hash
// of the sources, so a build only bundles after the TypeScript has changed.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
// Eleventy's ESM cache-buster (a module.register hook on Node 20) only serves
// watch mode; in a one-off build it puts every import through a hooks thread.
process.env.ELEVENTY_SKIP_ESM_RESOLVER = "1";

const entryPoints = ["scripts/build.ts", ".eleventy.ts"];
const sources = [".eleventy.ts", "package-lock.json"];
for (const folder of ["lib", "scripts"]) {
  for (const file of readdirSync(`${root}${folder}`, { recursive: true })) {
    if (String(file).endsWith(".ts")) sources.push(`${folder}/${file}`);
  }
}
const hash = createHash("sha256");
for (const file of sources.sort()) hash.update(file).update(readFileSync(`${root}${file}`));
const cache = `${root}.cache`;
const outdir = `${cache}/build-${hash.digest("hex").slice(0, 16)}`;

if (!existsSync(outdir)) {
  const { build } = await import("esbuild");
  mkdirSync(cache, { recursive: true });
  // Made aside and renamed into place, so a build running beside this one never sees half a bundle.
  const staging = mkdtempSync(`${cache}/staging-`);
  await build({
    absWorkingDir: root,
    entryPoints,
    outdir: staging,
    outbase: ".",
    bundle: true,
    // Modules both entries use (lib/source-error.ts, ...) go to shared chunks: one copy each.
    splitting: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "inline",
    logLevel: "warning",
  });
  try {
    renameSync(staging, outdir);
    for (const old of readdirSync(cache)) {
      if (old.startsWith("build-") && `${cache}/${old}` !== outdir) rmSync(`${cache}/${old}`, { recursive: true, force: true });
    }
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another build made the same bundles first
  }
}

// Stack traces (shown with DEBUG set) then name the TypeScript, not the bundle.
if (process.env.DEBUG) process.setSourceMapsEnabled(true);
process.argv.push("--config", `${outdir}/.eleventy.js`);
await import(pathToFileURL(`${outdir}/scripts/build.js`).href);
