// `npm run build [-- --output DIR]`: Eleventy renders the site into a fresh
// folder beside the output, which replaces the output only once the whole
// build has succeeded. A failed build leaves the output as it was and prints
// each mistake as `file:line: what is wrong` and a fix, without a stack trace.
import Eleventy from "@11ty/eleventy";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { formatProblem, SourceProblems } from "../lib/checks/problems.ts";
import { templateSlip } from "../lib/checks/template-slip.ts";

const { values } = parseArgs({
  options: { input: { type: "string", default: "src" }, output: { type: "string", default: "public" } },
});
const { input, output } = values;
const staging = join(dirname(output), `.${basename(output)}-next`);
const previous = join(dirname(output), `.${basename(output)}-old`);
// What a build killed halfway left behind.
for (const folder of [staging, previous]) rmSync(folder, { recursive: true, force: true });
// Eleventy may still be writing other pages when one fails: what it wrote goes once nothing can write.
process.once("exit", () => rmSync(staging, { recursive: true, force: true }));

const started = performance.now();
try {
  const eleventy = new Eleventy(input, staging, { configPath: ".eleventy.ts", quietMode: true });
  // The messages below say it all, without Eleventy's stack trace.
  eleventy.disableLogger();
  await eleventy.write();
} catch (error) {
  const chain = (e: unknown): unknown[] =>
    e instanceof Error ? [e, ...chain(e.cause ?? (e as { originalError?: unknown }).originalError)] : [];
  const problems = chain(error).find((e) => e instanceof SourceProblems)?.problems;
  const templates = readdirSync(join(input, "..", "_includes"), { recursive: true, encoding: "utf8" });
  const includes = templates.filter((name) => name.endsWith(".njk"));
  const slip = templateSlip(error, (file) => readFileSync(file, "utf8"), includes);
  console.error(`Build failed; ${output}/ is unchanged.`);
  console.error(process.env.DEBUG || !(problems || slip) ? error : (problems ?? [slip!]).map(formatProblem).join("\n"));
  process.exit(1);
}
if (existsSync(output)) renameSync(output, previous);
renameSync(staging, output);
rmSync(previous, { recursive: true, force: true });
const pages = readdirSync(output, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".html"));
console.log(`Built ${pages.length} pages into ${output}/ in ${((performance.now() - started) / 1000).toFixed(2)} s.`);
