// @ts-check
// `npm test`: every suite in tests/ with node:test, two files at a time, the
// longest first so that none is left running alone at the end; or the test
// files given (`npm test -- tests/build.test.ts`), and any node:test option
// (`--test-name-pattern=...`).
//
// Without a TypeScript loader: a loader costs each test process half a
// CPU-second (its own thread, through which every import passes), about 15
// over the suite. esbuild compiles each TypeScript file on its own (nothing
// bundled; packages and other files stay imports) into .cache/test-<hash>/,
// the same folders as the sources, only after the TypeScript has changed.
// Source maps point stack traces back to the TypeScript.
//
// Every temporary folder the tests make (builds, repositories, browser
// profiles) lands in one folder of the run's own (TMPDIR), removed when the
// run ends, however it ends: a test stopped halfway leaves nothing behind.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { compiled, root, typeScriptIn } from "./compiled.mjs";

const given = process.argv.slice(2);
const isTestFile = (/** @type {string} */ arg) => arg.endsWith(".test.ts");
const files = given.filter(isTestFile).map((file) => relative(root, resolve(file)));
// The tests read the project's files from its folder.
process.chdir(root);

/** The heaviest suites, started first; the rest follow in name order. */
const first = ["tests/opt-out.test.ts", "tests/theme.test.ts", "tests/browser.test.ts", "tests/bench.test.ts"];

const sources = [".eleventy.ts", ...typeScriptIn("lib", "scripts", "tests")];
const outdir = await compiled("test", [...sources, "scripts/test.mjs"], {
  entryPoints: sources,
  // Bundling only so that the plugin sees every import: each one stays an import.
  bundle: true,
  packages: "external",
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
  plugins: [
    {
      name: "imports-stay",
      setup(build) {
        build.onResolve({ filter: /^\.\.?\// }, ({ path, resolveDir, kind }) => {
          if (kind === "entry-point") return undefined;
          // Another TypeScript file: its compiled copy beside this one. Anything else (JSON, a browser script): the file itself.
          return path.endsWith(".ts") ? { path: path.replace(/\.ts$/, ".js"), external: true } : { path: pathToFileURL(resolve(resolveDir, path)).href, external: true };
        });
      },
    },
  ],
});

const everySuite = readdirSync("tests").filter(isTestFile).map((file) => `tests/${file}`).sort();
const suites = files.length ? files : [...first, ...everySuite.filter((file) => !first.includes(file))];
const suiteFiles = suites.map((file) => join(outdir, file.replace(/\.ts$/, ".js")));

const options = given.filter((arg) => !isTestFile(arg));
// The spec reporter, unless another is asked for.
const reporter = options.some((arg) => arg.startsWith("--test-reporter")) ? [] : ["--test-reporter=spec"];
const temporary = mkdtempSync(join(tmpdir(), "privacy-tests-"));
chmodSync(temporary, 0o755); // nginx's unprivileged worker serves builds from in here
const tests = spawn(process.execPath, ["--enable-source-maps", "--test", "--test-concurrency=2", ...reporter, ...options, ...suiteFiles], {
  stdio: "inherit",
  // The build the tests share is kept beside, from run to run, until a source changes (tests/helpers/build.ts).
  env: { ...process.env, TMPDIR: temporary, PRIVACY_TESTS_SHARED: join(tmpdir(), "privacy-tests-shared") },
});
// Ctrl-C reaches the tests from the terminal; a stop from elsewhere is passed on. Either way, clean up once they have ended.
process.on("SIGINT", () => undefined);
for (const signal of /** @type {const} */ (["SIGTERM", "SIGHUP"])) process.on(signal, () => tests.kill(signal));
tests.on("exit", async (code) => {
  // A browser of a stopped test may still be writing its profile for a moment: retry a few seconds.
  await rm(temporary, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }).catch((error) => console.error(`Left ${temporary}: ${error.message}`));
  process.exit(code ?? 1);
});
