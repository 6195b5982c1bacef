// `npm run build`: the production site into public/ (or the folder given with
// --output).
import { isAbsolute, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { build, eleventyConfigFile } from "../lib/build.ts";
import { projectRoot } from "../lib/npm-scripts.ts";
import { sourceErrorsIn } from "../lib/source-error.ts";

const root = projectRoot();
const { values } = parseArgs({
  options: {
    output: { type: "string" },
    input: { type: "string" },
    config: { type: "string", default: eleventyConfigFile },
  },
});

/** A folder given on the command line, relative to the project where it lies inside it (for short messages). */
function folder(given: string | undefined, fallback: string): string {
  if (given === undefined) return fallback;
  const path = relative(root, resolve(given));
  return path.startsWith("..") || isAbsolute(path) ? resolve(given) : path;
}
const input = folder(values.input, "src");
const output = folder(values.output, "public");
// The same output from whatever folder the build is started in.
process.chdir(root);
const started = performance.now();
try {
  const { pages } = await build({ input, output, configFile: values.config });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`Built ${pages} page${pages === 1 ? "" : "s"} into ${output}/ in ${seconds} s.`);
} catch (error) {
  const mistakes = sourceErrorsIn(error);
  console.error(`Build failed; ${output}/ is unchanged.`);
  // Mistakes in the sources need only their messages; anything else, the whole story.
  console.error(
    mistakes.length > 0 && !process.env.DEBUG ? mistakes.map((mistake) => mistake.message).join("\n") : error,
  );
  process.exitCode = 1;
}
