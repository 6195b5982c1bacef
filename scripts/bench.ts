// `npm run bench [-- --pages 1,100 --runs 5 --edits 5 --versions 20]`: our
// build against the floor, what a team would run by hand with the design's
// own stack over the same pages and versions (markdownlint-cli2 over the
// sources, then Eleventy with markdown-it and html-minifier-terser as a
// transform, scripts/bench/floor.config.mjs), alternating, with medians; the
// history at --versions against the floor over its pages; the preview's
// rebuild after an edit; the first view's bytes in Chromium.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, readFileSync, watch, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { loadSite } from "../lib/site.ts";
import { firstView } from "./bench/first-view.ts";
import { benchSite, compileCache } from "./bench/sites.ts";

const { values } = parseArgs({
  options: {
    pages: { type: "string", default: "1,100" },
    runs: { type: "string", default: "5" },
    edits: { type: "string", default: "5" },
    versions: { type: "string", default: "20" },
  },
});
const [runs, edits, versions] = [values.runs, values.edits, values.versions].map(Number) as [number, number, number];
const site = loadSite("src/_data/site.json");
const policy = readFileSync("src/privacy.md", "utf8");
const median = (numbers: number[]) => numbers.toSorted((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
const seconds = (cwd: string, commands: string[][]) => {
  const started = performance.now();
  for (const args of commands) {
    const run = spawnSync(process.execPath, args, { cwd, env: compileCache, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`${args.join(" ")} in ${cwd}:\n${run.stdout}${run.stderr}`);
  }
  return (performance.now() - started) / 1000;
};
const ourBuild = [["scripts/build.ts"]];
const floorBuild = [
  ["node_modules/markdownlint-cli2/markdownlint-cli2-bin.mjs", "src/**/*.md"],
  ["node_modules/@11ty/eleventy/cmd.cjs", "--config=../scripts/bench/floor.config.mjs", "--quiet"],
];

/** Median seconds of ours and the floor, alternating, after one untimed build of each. */
function race({ ours, floor }: { ours: string; floor: string }) {
  const times: { ours: number[]; floor: number[] } = { ours: [], floor: [] };
  cpSync("scripts/bench/floor.config.mjs", join(ours, "scripts/bench/floor.config.mjs"));
  for (let run = 0; run <= runs; run++) {
    const [a, b] = [seconds(ours, ourBuild), seconds(floor, floorBuild)];
    if (run > 0) [times.ours.push(a), times.floor.push(b)];
  }
  return { ours: median(times.ours), floor: median(times.floor) };
}

/** Milliseconds from saving an edit of the policy until `npm start` has rewritten its page with it, for each edit. */
async function rebuilds(root: string): Promise<number[]> {
  const preview = spawn("npm", ["start", "--", "--port=0"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Ended, with a code or by a signal, it needs no stopping.
  const stop = () => preview.exitCode ?? preview.signalCode ?? process.kill(-preview.pid!, "SIGTERM");
  process.once("exit", stop);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
  // Eleventy says "Watching…" once each build is written; its server starts once the watcher is ready.
  let built = () => {};
  preview.stdout.on("data", (data) => /Watching…/.test(String(data)) && built());
  const watching = () => new Promise<void>((done) => (built = done));
  await new Promise<void>((ready) => preview.stderr.on("data", (data) => /Server at/.test(String(data)) && ready()));
  const page = join(root, ".preview/privacy/index.html");
  const times: number[] = [];
  // The first edit, untimed: the process is still warming up.
  for (let edit = 0; edit <= edits; edit++) {
    const words = `An edit, number ${edit}.`;
    const rewritten = new Promise<number>((done) => {
      const watcher = watch(dirname(page), () => {
        if (readFileSync(page, "utf8").includes(words)) [watcher.close(), done(performance.now())];
      });
    });
    const idle = watching();
    const saved = performance.now();
    writeFileSync(join(root, "src/privacy.md"), policy.replace(/^## .*$/m, `$&\n\n${words}`));
    times.push((await rewritten) - saved);
    await idle;
  }
  stop();
  return times.slice(1);
}

const row = (what: string, { ours, floor }: { ours: number; floor: number }) =>
  `| ${what} | ${ours.toFixed(3)} | ${floor.toFixed(3)} | ${(ours / floor).toFixed(3)}× |`;
const lines = [
  `Made by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}: medians of ${runs} runs, ours and the floor alternating, after an untimed build of each.`,
  "",
  "| what | ours (s) | floor (s) | ours / floor |\n| --- | ---: | ---: | ---: |",
];
for (const pages of values.pages.split(",").map(Number))
  lines.push(row(`${pages} page${pages === 1 ? "" : "s"}`, race(benchSite(pages))));
const texts = Array.from({ length: versions }, (_, i) => {
  const day = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
  return policy.replace(/^updated: .*$/m, `updated: ${day}`).replace(/^## .*$/m, `$&\n\nWords of version ${i + 1}.`);
});
const history = benchSite(1, texts);
lines.push(row(`versions of history (${versions})`, race(history)));
const edited = await rebuilds(history.ours);
lines.push(
  "",
  `Rebuild after an edit, from saving \`src/privacy.md\` to \`npm start\` rewriting its page: median ${median(edited).toFixed(0)} ms (${edited.map((ms) => ms.toFixed(0)).join(", ")}).`,
);
const views = await firstView(join(history.ours, "public"), site);
lines.push(
  "",
  "| first view in Chromium, 1280 × 900 | requests to our origin | bytes (gzip -6 for text) |\n| --- | ---: | ---: |",
);
for (const [scheme, { requests, bytes }] of Object.entries(views))
  lines.push(`| ${scheme} | ${requests} | ${(bytes / 1000).toFixed(1)} KB |`);

const report = lines.join("\n");
console.log(report);
// A run with the default pages rewrites BENCHMARK.md's report, and keeps what is written after it.
const marker = "<!-- end of npm run bench -->";
if (values.pages === "1,100") {
  const kept = readFileSync("BENCHMARK.md", "utf8").split(marker)[1] ?? "\n";
  writeFileSync("BENCHMARK.md", `# Benchmark\n\n${report}\n\n${marker}${kept}`);
  console.log("Wrote BENCHMARK.md.");
}
