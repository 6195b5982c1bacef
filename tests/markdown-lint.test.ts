// `npm run lint`: the portal's Markdown rules (.markdownlint-cli2.yaml) over
// src/**/*.md, each finding as file:line, the rule and how to fix it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { policyFile } from "./helpers/policy.ts";

const cli = resolve("node_modules/markdownlint-cli2/markdownlint-cli2-bin.mjs");
const packageJson = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };

/** markdownlint-cli2 as `npm run lint` (or `lint:fix`) runs it, in `cwd`. */
function lint(cwd: string, script: "lint" | "lint:fix" = "lint") {
  const args = packageJson.scripts[script]!.split(" ").slice(1);
  return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8" });
}

test("npm run lint passes every Markdown page in src/, the policy among them", () => {
  assert.equal(packageJson.scripts.lint, "markdownlint-cli2");
  const run = lint(".");
  assert.equal(run.status, 0, `npm run lint reports:\n${run.stderr}`);
  const pages = readdirSync("src", { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".md"));
  assert.ok(pages.includes("privacy.md"));
  assert.match(run.stdout, new RegExp(`^Linting: ${pages.length} files?$`, "m"));
});

test("a heading ending with a colon fails with its file:line, the rule, and how to fix it; lint:fix fixes it", () => {
  const project = mkdtempSync(join(tmpdir(), "privacy-lint-"));
  copyFileSync(".markdownlint-cli2.yaml", join(project, ".markdownlint-cli2.yaml"));
  mkdirSync(join(project, "src"));
  const lines = readFileSync(policyFile, "utf8").split("\n");
  const heading = lines.findIndex((line) => /^#{2,6} \S/.test(line));
  assert.ok(heading > 0, "the policy has no section heading");
  lines[heading] += ":";
  writeFileSync(join(project, policyFile), lines.join("\n"));

  const run = lint(project);
  assert.equal(run.status, 1);
  const findings = run.stderr.trim().split("\n");
  assert.equal(findings.length, 1, run.stderr);
  assert.match(
    findings[0]!,
    new RegExp(
      `^${policyFile}:${heading + 1}:\\d+ MD026/no-trailing-punctuation: .+\\[Punctuation: ':'\\]\\. Fix: see https://\\S+md026\\.md; \`npm run lint:fix\``,
    ),
  );

  assert.equal(lint(project, "lint:fix").status, 0);
  assert.equal(readFileSync(join(project, policyFile), "utf8").split("\n")[heading], lines[heading]!.slice(0, -1));
  assert.equal(lint(project).status, 0);
});
