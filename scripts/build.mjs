// @ts-check
// `npm run build`, without a TypeScript loader: a loader costs about a third
// of a second and 45 MB on every build. esbuild bundles our TypeScript (the
// build script and the Eleventy config; packages stay imports), and Node runs
// it as plain JavaScript. The bundles are kept under .cache/, named by a hash
// of the sources, so a build only bundles after the TypeScript has changed.
import { pathToFileURL } from "node:url";
import { compiled, forNode, typeScriptIn } from "./compiled.mjs";

// Eleventy's ESM cache-buster (a module.register hook on Node 20) only serves
// watch mode; in a one-off build it puts every import through a hooks thread.
process.env.ELEVENTY_SKIP_ESM_RESOLVER = "1";

const outdir = await compiled("build", [".eleventy.ts", "scripts/build.mjs", ...typeScriptIn("lib", "scripts")], {
  ...forNode,
  entryPoints: ["scripts/build.ts", ".eleventy.ts"],
  // Modules both entries use (lib/source-error.ts, ...) go to shared chunks: one copy each.
  splitting: true,
  sourcemap: "inline",
});

// Stack traces (shown with DEBUG set) then name the TypeScript, not the bundle.
if (process.env.DEBUG) process.setSourceMapsEnabled(true);
process.argv.push("--config", `${outdir}/.eleventy.js`);
await import(pathToFileURL(`${outdir}/scripts/build.js`).href);
