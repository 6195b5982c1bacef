// `npm run bench`: our build against
// the floor (bare Eleventy 3 with scripts/bench/floor.eleventy.mjs: the same
// content and layout, no loader, checks or minification), side by side, in
// alternating runs, at several site sizes. Also the rebuild latency in watch
// mode and the page's weight.
// Prints the report (scripts/bench/report.ts). A full run (no --pages)
// rewrites BENCHMARK.md; a quick run writes only where --out says:
//
//   npm run bench -- --pages 1,100 --runs 3 --edits 3 --versions 20 --history-runs 11 [--out /tmp/bench.md]
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem, release } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { compileCache, npmScript, npmScriptArguments, projectRoot } from "../lib/npm-scripts.ts";
import { launchChromium, layoutShift, openPage, portalOrigin, scrollToEnd } from "./harness/browser.ts";
import { gitProject } from "./harness/project.ts";
import {
  benchmarkReport,
  fullRunPages,
  median,
  withHandWritten,
  type Figures,
  type Run,
  type View,
} from "./bench/report.ts";

const { values } = parseArgs({
  options: {
    pages: { type: "string", default: fullRunPages.join(",") },
    runs: { type: "string", default: "5" },
    edits: { type: "string", default: "5" },
    versions: { type: "string", default: "20" },
    "history-runs": { type: "string", default: "11" },
    out: { type: "string" },
  },
});
const pageCounts = values.pages.split(",").map(Number);
const runs = Number(values.runs);
const edits = Number(values.edits);
const root = projectRoot();
// As `npm run build` has it: Node keeps what it stripped and compiled of our TypeScript.
process.env.NODE_COMPILE_CACHE = compileCache();
process.chdir(root);

// Each measured process reports its own peak memory (resident set) as it exits.
const reportPeak = `data:text/javascript,process.on("exit",()=>process.stderr.write("peak-rss-kb="+process.resourceUsage().maxRSS+"\\n"))`;

function measure(command: string[], cwd = root): Run {
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--import", reportPeak, ...command], { cwd, encoding: "utf8" });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${command.join(" ")} failed:\n${result.stderr}`);
  const peakKb = Number(/peak-rss-kb=(\d+)/.exec(result.stderr)?.[1]);
  return { seconds, peakMb: peakKb / 1024 };
}

/** A site of `count` pages: the policy where it is built, and copies of it at their own URLs. */
async function makeSite(folder: string, count: number): Promise<string> {
  const source = await readFile("src/privacy.md", "utf8");
  await cp("_includes", join(folder, "_includes"), { recursive: true });
  await cp("src/_data", join(folder, "src", "_data"), { recursive: true });
  await cp("src/assets", join(folder, "src", "assets"), { recursive: true });
  await writeFile(join(folder, "src", "privacy.md"), source);
  await Promise.all(
    Array.from({ length: count - 1 }, (_, i) =>
      writeFile(
        join(folder, "src", `privacy-${i + 2}.md`),
        source.replace(/^title: (.*)$/m, `title: $1 ${i + 2}\npermalink: /privacy-${i + 2}/`),
      ),
    ),
  );
  return join(folder, "src");
}

const workspace = await mkdtemp(join(tmpdir(), "privacy-bench-"));
// The run's sites, builds and git repositories, removed however the run ends.
process.on("exit", () => rmSync(workspace, { recursive: true, force: true }));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
const floorConfigFile = join(root, "scripts", "bench", "floor.eleventy.mjs");
const eleventyCli = join(root, "node_modules/@11ty/eleventy/cmd.cjs");

// One build first, untimed: it fills the caches every later build reuses; the page weight is measured on it.
// The sources in a repository of their own, as the tests build them: this checkout may be shallow.
const warmUp = join(workspace, "warm-up");
measure([
  ...npmScriptArguments("build"),
  "--input",
  (await gitProject([], join(workspace, "sources-"))).input,
  "--output",
  warmUp,
]);

const sizes: Figures["sizes"] = [];
for (const count of pageCounts) {
  const input = await makeSite(join(workspace, `site-${count}`), count);
  const variants = {
    ours: [...npmScriptArguments("build"), "--input", input, "--output", join(workspace, `ours-${count}`)],
    floor: [
      eleventyCli,
      `--config=${floorConfigFile}`,
      `--input=${input}`,
      `--output=${join(workspace, `floor-${count}`)}`,
      "--quiet",
    ],
  };
  const results: Record<"ours" | "floor", Run[]> = { ours: [], floor: [] };
  for (let run = 0; run < runs; run++) {
    // Alternate which goes first, so neither always meets a warmer machine.
    const order = run % 2 ? (["floor", "ours"] as const) : (["ours", "floor"] as const);
    for (const variant of order) results[variant].push(measure(variants[variant]));
  }
  const summarise = (list: Run[]): Run => ({
    seconds: median(list.map((r) => r.seconds)),
    peakMb: median(list.map((r) => r.peakMb)),
  });
  sizes.push({ pages: count, ours: summarise(results.ours), floor: summarise(results.floor) });
  console.error(`measured ${count} page${count === 1 ? "" : "s"}`);
}

/** The one-page build with the policy's history in git, `versions` of them, against the same build without it, `runs` builds of each. */
async function historyCost(versions: number, runs: number): Promise<Figures["history"]> {
  const source = await readFile("src/privacy.md", "utf8");
  // Each version a paragraph of the benchmark's own and a later "updated": the policy's words may be anything.
  const texts = Array.from({ length: versions }, (_, i) => {
    const day = `2024-01-${String(i + 1).padStart(2, "0")}`;
    return { day, text: `${source.replace(/^updated: .*$/m, `updated: ${day}`)}\nBenchmark version ${i + 1}.\n` };
  });
  const withHistory = await gitProject(texts, join(workspace, "history-"));
  const withoutHistory = await gitProject(
    texts.map(({ day, text }) => ({ day, text: text.replace(/^history: true\n/m, "") })),
    join(workspace, "history-"),
  );
  const results: Record<"with" | "without", Run[]> = { with: [], without: [] };
  const projects = { with: withHistory, without: withoutHistory };
  const buildOf = (variant: "with" | "without") => [
    ...npmScriptArguments("build"),
    "--input",
    projects[variant].input,
    "--output",
    join(projects[variant].root, "public"),
  ];
  // Warm builds, as a maintainer's second build is: the first minifies the new pages into .cache/.
  for (const variant of ["with", "without"] as const) measure(buildOf(variant));
  for (let run = 0; run < runs; run++) {
    const order = run % 2 ? (["without", "with"] as const) : (["with", "without"] as const);
    for (const variant of order) results[variant].push(measure(buildOf(variant)));
  }
  const summarise = (list: Run[]): Run => ({
    seconds: median(list.map((r) => r.seconds)),
    peakMb: median(list.map((r) => r.peakMb)),
  });
  return { versions, runs, with: summarise(results.with), without: summarise(results.without) };
}
// 11 builds of each by default: the median of 5 moved by ±15 % from run to run here.
const history = await historyCost(Number(values.versions), Number(values["history-runs"]));
console.error("measured the history");

/** Milliseconds from saving an edit to src/privacy.md until the rebuilt page is written, in watch mode. */
async function watchLatencies(): Promise<number[]> {
  const folder = join(workspace, "watch");
  await cp("src", join(folder, "src"), { recursive: true });
  await cp("_includes", join(folder, "_includes"), { recursive: true });
  const page = join(folder, "src", "privacy.md");
  const output = join(folder, "out", "privacy", "index.html");
  // What `npm start` runs, without the web server.
  const watcher = spawn(
    process.execPath,
    [
      eleventyCli,
      "--config=.eleventy.ts",
      `--input=${join(folder, "src")}`,
      `--output=${join(folder, "out")}`,
      "--watch",
    ],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  watcher.stdout.on("data", (chunk) => (log += chunk));
  watcher.stderr.on("data", (chunk) => (log += chunk));
  const until = async (condition: () => Promise<boolean> | boolean, what: string) => {
    for (const started = Date.now(); !(await condition()); await new Promise((resolve) => setTimeout(resolve, 1))) {
      if (Date.now() - started > 20000) throw new Error(`timed out waiting for ${what}:\n${log}`);
    }
  };
  try {
    await until(() => log.includes("Watching"), "the watcher to start");
    const original = await readFile(page, "utf8");
    const latencies: number[] = [];
    for (let edit = 1; edit <= edits; edit++) {
      const marker = `benchmark edit ${edit}`;
      // The watcher is not ready when Eleventy says "Watching", nor at once after a rebuild: let it settle.
      await new Promise((resolve) => setTimeout(resolve, 300));
      // A paragraph of the benchmark's own: the policy's words may be anything.
      await writeFile(page, `${original}\n${marker}\n`);
      const saved = performance.now();
      await until(
        async () => (await readFile(output, "utf8").catch(() => "")).includes(marker),
        `edit ${edit} in the output`,
      );
      latencies.push(performance.now() - saved);
    }
    return latencies;
  } finally {
    watcher.kill();
  }
}
const latencies = await watchLatencies();

const textTypes = /\.(html|css|js|svg|txt)$/;

/**
 * The page in Chromium, as a visitor at 1280 × 900 gets it, light and dark:
 * the first view (nothing scrolled), then the whole page scrolled to its
 * end, and the layout shift over all of it.
 */
async function pageWeight() {
  const site = warmUp;
  const bytesOf = async (path: string) => {
    const file = join(site, path.endsWith("/") ? `${path}index.html` : path);
    const content = await readFile(file);
    return textTypes.test(file) ? gzipSync(content, { level: 6 }).length : content.length;
  };
  const browser = await launchChromium({ portal: site });
  const themes: Figures["weight"] = {};
  try {
    for (const theme of ["light", "dark"] as const) {
      const loaded = await openPage(browser, `${portalOrigin}/privacy/`, {
        colorScheme: theme,
        viewport: { width: 1280, height: 900 },
      });
      const { page } = loaded;
      const view = async (): Promise<View> => {
        // goto waited for the load event, and scrollToEnd for every image shown: everything asked for has come.
        const urls = await page.evaluate(() => [
          location.href,
          ...performance.getEntriesByType("resource").map((entry) => entry.name),
        ]);
        const ours = [
          ...new Set(urls.filter((url) => url.startsWith(`${portalOrigin}/`)).map((url) => new URL(url).pathname)),
        ];
        return {
          ours: await Promise.all(ours.map(async (path) => ({ path, bytes: await bytesOf(path) }))),
          otherOrigins: [
            ...new Set(urls.map((url) => new URL(url).origin).filter((origin) => origin !== portalOrigin)),
          ],
        };
      };
      const firstView = await view();
      await scrollToEnd(page);
      const wholePage = await view();
      const shift = await layoutShift(page);
      if (loaded.problems.length) throw new Error(`the page had problems in ${theme}: ${loaded.problems.join("; ")}`);
      themes[theme] = { firstView, wholePage, layoutShift: shift };
    }
  } finally {
    await browser.close();
  }
  return themes;
}
const weight = await pageWeight();

const figures: Figures = {
  date: new Date().toISOString().slice(0, 10),
  machine: `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.version}`,
  buildCommand: npmScript("build"),
  runs,
  sizes,
  latencies,
  weight,
  history,
};
const report = benchmarkReport(figures);
console.log(report);
const fullRun = values.pages === fullRunPages.join(",");
const out = values.out ?? (fullRun ? "BENCHMARK.md" : undefined);
if (out) {
  await writeFile(out, withHandWritten(report, await readFile(out, "utf8").catch(() => "")));
  console.error(`Wrote ${out}.`);
} else {
  console.error("A quick run: BENCHMARK.md keeps the full run's figures (add --out FILE to write this report).");
}
