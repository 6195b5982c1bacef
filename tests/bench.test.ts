// `npm run bench`: the report checked on figures of the test's own, and the
// smallest real run, so the script cannot rot. Nothing here asserts how fast
// anything was.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { npmScriptArguments } from "../lib/npm-scripts.ts";
import {
  benchmarkReport,
  handWrittenMarker,
  withHandWritten,
  type Figures,
  type ThemeWeight,
} from "../scripts/bench/report.ts";
import { browserMissing } from "../scripts/harness/browser.ts";

const view = (bytes: number[], otherOrigins = ["https://matomo.dc.scilifelab.se"]) => ({
  ours: bytes.map((size, i) => ({ path: i === 0 ? "/privacy/" : `/assets/file-${i}.0123456789.css`, bytes: size })),
  otherOrigins,
});
const theme = (firstView: number[], wholePage: number[], layoutShift = 0): ThemeWeight => ({
  firstView: view(firstView),
  wholePage: view(wholePage),
  layoutShift,
});

const figures: Figures = {
  date: "2030-01-02",
  machine: "a test machine",
  buildCommand: "node scripts/build.ts",
  runs: 3,
  sizes: [
    { pages: 1, ours: { seconds: 1.1, peakMb: 110 }, floor: { seconds: 1.0, peakMb: 100 } },
    { pages: 100, ours: { seconds: 2.6, peakMb: 130 }, floor: { seconds: 2.0, peakMb: 125 } },
  ],
  latencies: [90, 120, 80],
  history: { versions: 20, runs: 11, with: { seconds: 1.05, peakMb: 100 }, without: { seconds: 1.0, peakMb: 100 } },
  weight: { light: theme([10240, 20480], [10240, 20480, 30720]), dark: theme([10240], [10240, 81920], 0.01) },
};

describe("the benchmark's report", () => {
  const report = benchmarkReport(figures);

  test("gives each size's times, memory and ratios", () => {
    assert.match(report, /^\| 1 \| 1\.10 \| 1\.00 \| 1\.10 \| 1100\.0 \| 110 \| 100 \| 1\.10 \|$/m);
    assert.match(report, /^\| 100 \| 2\.60 \| 2\.00 \| 1\.30 \| 26\.0 \| 130 \| 125 \| 1\.04 \|$/m);
  });

  test("marks each target met or missed, and says which sizes this run left out", () => {
    assert.match(report, /^\| ours \/ floor at 1 page\(s\), time ≤ 1\.2 \| 1\.100 \| met \|$/m);
    assert.match(report, /^\| ours \/ floor at 100 page\(s\), time ≤ 1\.2 \| 1\.300 \| \*\*missed\*\* \|$/m);
    const justOver = { ...figures.sizes[0]!, ours: { ...figures.sizes[0]!.ours, seconds: 1.204 } };
    assert.match(
      benchmarkReport({ ...figures, sizes: [justOver, ...figures.sizes.slice(1)] }),
      /^\| ours \/ floor at 1 page\(s\), time ≤ 1\.2 \| 1\.204 \| \*\*missed\*\* \|$/m,
    );
    assert.match(report, /^\| ours \/ floor at 4000 page\(s\) ≤ 1\.25 \| not measured in this run \| \|$/m);
    assert.match(report, /median 90 ms over\s+3 edit\(s\) \(90, 120, 80 ms\)/);
    assert.match(report, /^\| rebuild after an edit, watch mode, < 150 ms \| 90 ms \| met \|$/m);
    assert.match(report, /^\| one-page build with 20 versions of history, added time ≤ 25 % \| 5\.0 % \| met \|$/m);
    assert.match(
      benchmarkReport({ ...figures, history: { ...figures.history, with: { seconds: 1.3, peakMb: 100 } } }),
      /history, added time ≤ 25 % \| 30\.0 % \| \*\*missed\*\* \|$/m,
    );
    assert.match(report, /^\| whole page, bytes from our origin ≤ 100 KB \| 90\.0 KB \| met \|$/m);
    assert.match(report, /^\| first view at 1280 × 900, bytes from our origin ≤ 64 KB \| 30\.0 KB \| met \|$/m);
    assert.match(report, /^\| layout shift while loading, dark = 0 \| 0\.01 \| \*\*missed\*\* \|$/m);
    assert.match(report, /^\| light, whole page \| 3 \| 60\.0 KB \| 0 \| https:\/\/matomo\.dc\.scilifelab\.se \|$/m);
    assert.match(report, /^\| \/assets\/file-1\.\*\.css \| 20480 B \|$/m);
  });

  test("keeps the hand-written part of the previous report", () => {
    const previous = `# Old figures\n\n${handWrittenMarker}\n\n## Where the time goes\n\nNotes.\n`;
    assert.equal(
      withHandWritten(report, previous),
      `${report}\n${handWrittenMarker}\n\n## Where the time goes\n\nNotes.\n`,
    );
    assert.equal(withHandWritten(report, "# no marker"), report);
  });
});

test(
  "the smallest real run measures both builds, the watcher and the page weight, and leaves BENCHMARK.md alone and no temporary file",
  { skip: browserMissing() },
  () => {
    const before = readFileSync("BENCHMARK.md", "utf8");
    const temporary = mkdtempSync(join(tmpdir(), "privacy-bench-test-"));
    const run = spawnSync(
      process.execPath,
      [
        ...npmScriptArguments("bench"),
        "--pages",
        "1",
        "--runs",
        "1",
        "--edits",
        "1",
        "--versions",
        "2",
        "--history-runs",
        "1",
      ],
      {
        encoding: "utf8",
        env: { ...process.env, TMPDIR: temporary },
      },
    );
    assert.equal(run.status, 0, run.stderr);
    const figure = String.raw`\d+(\.\d+)?`;
    assert.match(run.stdout, new RegExp(`^\\| 1 (\\| ${figure} ){7}\\|$`, "m"));
    assert.match(run.stdout, new RegExp(`median ${figure} ms over\\s+1 edit`));
    assert.match(
      run.stdout,
      new RegExp(`^\\| one-page build with 2 versions of history, added time ≤ 25 % \\| -?${figure} % \\|`, "m"),
    );
    for (const name of ["light", "dark"])
      assert.match(run.stdout, new RegExp(`^\\| ${name}, whole page \\| \\d+ \\| ${figure} KB \\| ${figure} \\|`, "m"));
    assert.match(run.stderr, /A quick run: BENCHMARK\.md keeps the full run's figures/);
    assert.equal(readFileSync("BENCHMARK.md", "utf8"), before);
    assert.deepEqual(readdirSync(temporary), [], "the benchmark left temporary files behind");
  },
);
