// `npm test`: every suite in tests/ with node:test, three files at a time, the
// longest first so that none is left running alone at the end; or the test
// files given (`npm test -- tests/build.test.ts`), with node:test's
// `--test-name-pattern=...` and `--test-reporter=...`. With `--node-only`
// (`npm run test:node`), only the suites whose results can differ between
// Node's lines: not those of a browser, nginx, pa11y-ci or a code checker,
// which CI runs once. Node runs the TypeScript itself, stripping its types.
//
// Every temporary folder the tests make (builds, repositories, browser
// profiles) lands in one folder of the run's own (TMPDIR), removed when the
// run ends, however it ends, after every process the run started has ended:
// a run stopped halfway leaves nothing behind.
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { finished } from "node:stream/promises";
import { run } from "node:test";
import * as reporters from "node:test/reporters";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { compileCache } from "../lib/npm-scripts.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const given = process.argv.slice(2);
const isTestFile = (arg: string) => arg.endsWith(".test.ts");
const files = given.filter(isTestFile).map((file) => relative(root, resolve(file)));
// The tests read the project's files from its folder.
process.chdir(root);

/** The longest suites, longest first, so that no long one starts near the end and runs alone; the rest follow in name order. */
const first = [
  "opt-out",
  "bench",
  "theme",
  "browser",
  "history",
  "pa11y",
  "dev-server",
  "production-install",
  "nginx",
  "build-errors",
  "build-output",
].map((name) => `tests/${name}.test.ts`);

/**
 * The suites whose results are a browser's, a server's or a code checker's (tsc, Prettier, markdownlint,
 * shellcheck), not Node's, and the production install's, which the image builds on one line: CI runs them once.
 */
const sameOnEveryLine = [
  ...["opt-out", "bench", "theme", "browser", "contrast", "pa11y", "dev-server", "nginx"],
  ...["typecheck", "format", "markdown-lint", "ci-files", "code-layout", "production-install"],
].map((name) => `tests/${name}.test.ts`);

const everySuite = readdirSync("tests")
  .filter(isTestFile)
  .map((file) => `tests/${file}`)
  .sort();

/** node:test's options this runner passes on. */
function parseOptions() {
  try {
    return parseArgs({
      args: given.filter((arg) => !isTestFile(arg)),
      options: {
        "node-only": { type: "boolean", default: false },
        "test-name-pattern": { type: "string", multiple: true },
        "test-reporter": { type: "string", default: "spec" },
      },
    }).values;
  } catch (error) {
    console.error(
      `npm test: ${(error as Error).message}. It takes test files, --node-only, --test-name-pattern=... and --test-reporter=....`,
    );
    process.exit(2);
  }
}
const values = parseOptions();
const suites = (files.length ? files : [...first, ...everySuite.filter((file) => !first.includes(file))]).filter(
  (file) => !values["node-only"] || !sameOnEveryLine.includes(file),
);
const builtInReporters: Record<string, unknown> = reporters;
const chosen = values["test-reporter"];
const reporter = builtInReporters[chosen] ?? (await import(pathToFileURL(resolve(chosen)).href)).default;

const temporary = mkdtempSync(join(tmpdir(), "privacy-tests-"));
chmodSync(temporary, 0o755); // nginx's unprivileged worker serves builds from in here
// What each test process starts with: the run's temporary folder, and the build the tests share,
// kept beside it from run to run until a source changes (tests/helpers/build.ts).
Object.assign(process.env, {
  // Node keeps what it stripped and compiled of our TypeScript, so each test process loads it as fast as plain JavaScript.
  NODE_COMPILE_CACHE: compileCache(),
  PRIVACY_TESTS_SHARED: join(tmpdir(), "privacy-tests-shared"),
  TMPDIR: temporary,
});

// run(), not `node --test`, which would sort the files by name and leave the longest one to the end.
const stop = new AbortController();
const tests = run({
  files: suites,
  // Three on two cores: the browser suites wait on their browser part of the time.
  concurrency: 3,
  signal: stop.signal,
  ...(values["test-name-pattern"] ? { testNamePatterns: values["test-name-pattern"] } : {}),
});
tests.on("test:fail", () => (process.exitCode = 1));
// Stopped (Ctrl-C, or a signal from elsewhere), run() ends the test processes and the report ends early.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stop.abort());
const report = tests.compose(
  typeof reporter === "function" && /^class\b/.test(String(reporter)) ? new reporter() : reporter,
);
report.pipe(process.stdout);
// However the report ends, clean up.
await finished(report).catch(() => undefined);
await endProcessesOfTheRun();
await rm(temporary, { recursive: true, force: true, maxRetries: 5 }).catch((error) =>
  console.error(`Left ${temporary}: ${error.message}`),
);

/**
 * Waits for every process this run started (they all have its TMPDIR: test
 * processes, browsers, servers) to end, and ends those still there after
 * five seconds: a browser of a stopped test would go on writing in the
 * temporary folder, or run on.
 */
async function endProcessesOfTheRun() {
  if (!existsSync("/proc")) return; // Linux only: elsewhere the browsers end as their test processes do
  const mark = `TMPDIR=${temporary}\0`;
  const running = () =>
    readdirSync("/proc")
      .filter((pid) => /^\d+$/.test(pid) && Number(pid) !== process.pid)
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/environ`, "latin1").includes(mark);
        } catch {
          return false; // ended meanwhile, or not ours to read
        }
      })
      .map(Number);
  for (let waited = 0; running().length && waited < 5000; waited += 100)
    await new Promise((resolve) => setTimeout(resolve, 100));
  for (const pid of running()) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // ended meanwhile
    }
  }
}
