// @ts-check
// `npm start`: Eleventy's dev server, under `tsx watch`, which restarts it when
// the TypeScript or the site data change. Both run in a process group of
// their own, which this script ends as a whole when it is stopped: by Ctrl-C,
// by a signal, or by the end of npm's process, which on a SIGTERM exits
// without passing it on. So no watcher or server outlives `npm start`.
// Arguments go to Eleventy: `npm start -- --port=8081`.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const given = process.argv.slice(2);
const unless = (/** @type {string} */ flag, /** @type {string} */ value) => (given.some((arg) => arg.startsWith(`${flag}=`)) ? [] : [`${flag}=${value}`]);

const server = spawn(
  process.execPath,
  [
    require.resolve("tsx/cli"),
    "watch",
    "--clear-screen=false",
    "--include",
    "src/_data/site.json",
    "node_modules/@11ty/eleventy/cmd.cjs",
    "--config=.eleventy.ts",
    ...unless("--input", "src"),
    ...unless("--output", ".preview"),
    "--serve",
    ...given,
  ],
  { stdio: "inherit", detached: true },
);

/** Ends the whole group: tsx watch, and the Eleventy process it runs. */
const stop = (/** @type {NodeJS.Signals} */ signal) => {
  try {
    if (server.pid) process.kill(-server.pid, signal);
  } catch {
    // Already gone.
  }
};
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM", "SIGHUP"])) process.on(signal, () => stop(signal));
process.on("exit", () => stop("SIGTERM"));
server.on("exit", (code) => process.exit(code ?? 0));
// npm's process gone: this one now belongs to another parent.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit();
}, 250);
