// `npm start`: Eleventy's dev server, under Node's own `--watch`, which
// restarts it when the configuration's code (.eleventy.ts, lib/) or the site
// data it reads change, and when a save follows a first build that failed
// (lib/preview.ts). Both run in a process group of their own, which this
// script ends as a whole when it is stopped: by Ctrl-C, by a signal, or by
// the end of npm's process, which on a SIGTERM exits without passing it on.
// So no watcher or server outlives `npm start`.
// Arguments go to Eleventy: `npm start -- --port=8081`.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileCache } from "../lib/npm-scripts.ts";

const given = process.argv.slice(2);
const unless = (flag: string, value: string) =>
  given.some((arg) => arg.startsWith(`${flag}=`)) ? [] : [`${flag}=${value}`];
const input = given.find((arg) => arg.startsWith("--input="))?.slice("--input=".length) ?? "src";
// Written by the preview to have Node start it again, after a first build that failed (lib/preview.ts).
const signals = mkdtempSync(join(tmpdir(), "privacy-preview-"));
const restartSignal = join(signals, "restart");
writeFileSync(restartSignal, "");

const server = spawn(
  process.execPath,
  [
    "--watch",
    "--watch-preserve-output",
    ...[".eleventy.ts", "lib", join(input, "_data", "site.json"), restartSignal].map((path) => `--watch-path=${path}`),
    "node_modules/@11ty/eleventy/cmd.cjs",
    "--config=.eleventy.ts",
    ...unless("--input", "src"),
    ...unless("--output", ".preview"),
    "--serve",
    ...given,
  ],
  // Node keeps what it stripped and compiled of our TypeScript, so a restart loads it as fast as plain JavaScript.
  {
    stdio: "inherit",
    detached: true,
    env: { ...process.env, NODE_COMPILE_CACHE: compileCache(), PREVIEW_RESTART_SIGNAL: restartSignal },
  },
);

/** Ends the whole group: Node's watcher, and the Eleventy process it runs. */
const stop = (signal: NodeJS.Signals) => {
  try {
    if (server.pid) process.kill(-server.pid, signal);
  } catch {
    // Already gone.
  }
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stop(signal));
process.on("exit", () => {
  stop("SIGTERM");
  rmSync(signals, { recursive: true, force: true });
});
server.on("exit", (code) => process.exit(code ?? 0));
// npm's process gone: this one now belongs to another parent.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit();
}, 250);
