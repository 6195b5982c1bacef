// @ts-check
// `npm run build`, without a TypeScript loader: a loader costs about a third
// of a second and 45 MB on every build. esbuild bundles our TypeScript (the
// build script and the Eleventy config; packages stay imports) in
// milliseconds, and Node runs it as plain JavaScript.
import { build } from "esbuild";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
// Eleventy's ESM cache-buster (a module.register hook on Node 20) only serves
// watch mode; in a one-off build it puts every import through a hooks thread.
process.env.ELEVENTY_SKIP_ESM_RESOLVER = "1";
// Inside the project, so the bundles find node_modules; one folder a run, so builds never share one.
mkdirSync(`${root}.cache`, { recursive: true });
const outdir = mkdtempSync(`${root}.cache/build-`);
process.on("exit", () => rmSync(outdir, { recursive: true, force: true }));

await build({
  absWorkingDir: root,
  entryPoints: ["scripts/build.ts", ".eleventy.ts"],
  outdir,
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
process.argv.push("--config", `${outdir}/.eleventy.js`);
await import(pathToFileURL(`${outdir}/scripts/build.js`).href);
