// The project's folder, and what its npm scripts run, for the tests and the
// benchmark that run them as npm would. Apart from build.ts, so that the
// benchmark's own process does not load Eleventy for them.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The folder with package.json above this module. */
export function projectRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, "package.json"))) folder = dirname(folder);
  return folder;
}

/** Where Node keeps the TypeScript it has stripped and compiled (NODE_COMPILE_CACHE), for the processes a script starts. */
export const compileCache = () => join(projectRoot(), ".cache", "node");

/** package.json's `name` script, as npm runs it. */
export function npmScript(name: string): string {
  const { scripts } = JSON.parse(readFileSync(join(projectRoot(), "package.json"), "utf8")) as {
    scripts: Record<string, string | undefined>;
  };
  return scripts[name] ?? "";
}

/**
 * Node's arguments for package.json's `name` script, such as "build", which must run `node`: what npm runs,
 * exactly. A script may set NODE_COMPILE_CACHE first; the test runner and the benchmark set it for every
 * process they start (compileCache).
 */
export function npmScriptArguments(name: string): string[] {
  const [command, ...args] = npmScript(name)
    .replace(/^NODE_COMPILE_CACHE=\S+ /, "")
    .split(" ");
  if (command !== "node")
    throw new Error(`package.json's ${name} script must start with node, not ${command || "nothing"}`);
  return args.map((arg) => (arg.startsWith("scripts/") ? join(projectRoot(), arg) : arg));
}
