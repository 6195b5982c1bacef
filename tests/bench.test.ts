// A small run of `npm run bench`, so the script cannot rot. It asserts the
// report's shape and figures exist, never how fast anything was.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { browserMissing } from "./helpers/browser.ts";

test("npm run bench measures both builds, the watcher and the page weight, and writes the report", { skip: browserMissing() }, async () => {
  const out = join(await mkdtemp(join(tmpdir(), "privacy-bench-test-")), "BENCHMARK.md");
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/bench.ts", "--pages", "1,2", "--runs", "1", "--edits", "1", "--out", out], {
    encoding: "utf8",
  });
  assert.equal(run.status, 0, run.stderr);
  const report = await readFile(out, "utf8");
  assert.equal(run.stdout.trim(), report.trim(), "the report printed is the report written");

  const figure = String.raw`\d+(\.\d+)?`;
  for (const pages of [1, 2]) {
    assert.match(report, new RegExp(`^\\| ${pages} (\\| ${figure} ){7}\\|$`, "m"), `no row for ${pages} page(s)`);
  }
  assert.match(report, new RegExp(`median ${figure} ms over\\s+1 edit`));
  for (const theme of ["light", "dark"]) {
    assert.match(report, new RegExp(`^\\| ${theme}, first view \\| \\d+ \\| ${figure} KB \\| \\| https://matomo\\.dc\\.scilifelab\\.se \\|$`, "m"), theme);
    assert.match(report, new RegExp(`^\\| ${theme}, whole page \\| \\d+ \\| ${figure} KB \\| ${figure} \\|`, "m"), theme);
  }
  for (const file of ["/privacy/", "/assets/style.*.css", "/assets/theme.*.js", "/assets/analytics.*.js", "/assets/roboto.*.woff2"]) {
    assert.match(report, new RegExp(`^\\| ${file.replace(/[.*]/g, "\\$&")} \\| \\d+ B \\|$`, "m"), file);
  }
  assert.match(report, new RegExp(`^\\| first view at 1280 × 900, bytes from our origin ≤ 64 KB \\| ${figure} KB \\| (met|\\*\\*missed\\*\\*) \\|$`, "m"));
  assert.match(report, /\| ours \/ floor at 1 page\(s\), time ≤ 1\.2 \| \d/);
  assert.match(report, /\| ours \/ floor at 4000 page\(s\) ≤ 1\.25 \| not measured in this run/);
});
