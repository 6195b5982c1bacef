// @ts-check
// `npm run bench`, without a TypeScript loader, as `npm run build` runs: the
// measuring process then takes less of the machine from what it measures.
// esbuild bundles scripts/bench.ts (packages stay imports) into .cache/,
// again only after the TypeScript has changed.
import { pathToFileURL } from "node:url";
import { compiled, forNode, typeScriptIn } from "./compiled.mjs";

const outdir = await compiled("bench", ["scripts/bench.mjs", ...typeScriptIn("lib", "scripts")], {
  ...forNode,
  entryPoints: ["scripts/bench.ts"],
  sourcemap: "inline",
});
process.setSourceMapsEnabled(true);
await import(pathToFileURL(`${outdir}/scripts/bench.js`).href);
