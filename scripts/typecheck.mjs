// @ts-check
// `npm run typecheck`: tsc in build mode over the project's configurations
// (or those given as arguments). Build mode checks again only a project
// whose own files changed since its last check (.cache/tsc/), so a check
// with nothing changed costs a fraction of a full one. It does not notice
// a changed package, so a package-lock.json unlike the last check's clears
// what the last check learnt.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

/** The build, scripts and tests; the page's browser scripts; the Matomo stand-in's. */
const projects = ["tsconfig.json", "tsconfig.browser.json", "scripts/harness/matomo/tsconfig.json"];
const cache = ".cache/tsc";
const stamp = `${cache}/package-lock.sha256`;

const lock = createHash("sha256").update(readFileSync("package-lock.json")).digest("hex");
if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== lock) {
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  writeFileSync(stamp, lock);
}

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const args = process.argv.slice(2);
const check = spawnSync(process.execPath, [tsc, "--build", ...(args.length ? args : projects)], { stdio: "inherit" });
process.exitCode = check.status ?? 1;
