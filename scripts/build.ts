// `npm run build`: the production site into public/ (or the folder given with --output).
import { parseArgs } from "node:util";
import { build } from "../lib/build.ts";
import { findSourceError } from "../lib/source-error.ts";

const { values } = parseArgs({ options: { output: { type: "string", default: "public" }, input: { type: "string", default: "src" } } });
const started = performance.now();
try {
  const { pages } = await build({ input: values.input, output: values.output });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`Built ${pages} page${pages === 1 ? "" : "s"} into ${values.output}/ in ${seconds} s.`);
} catch (error) {
  const sourceError = findSourceError(error);
  console.error(`Build failed; ${values.output}/ is unchanged.`);
  // A mistake in the sources needs only its message; anything else, the whole story.
  console.error(sourceError && !process.env.DEBUG ? sourceError.message : error);
  process.exitCode = 1;
}
