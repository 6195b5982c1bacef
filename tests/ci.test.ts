// The files CI and the deployment run: valid workflows with pinned actions,
// the README's commands where CI runs them, the Node lines agreed on, install
// scripts reviewed, shell that shellcheck passes, and the image's tags.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { validateWorkflow } from "@action-validator/core";
import { load } from "js-yaml";

const workflows = readdirSync(".github/workflows").map((file) => join(".github/workflows", file));
const read = (file: string) => readFileSync(file, "utf8");
type Workflow = {
  jobs: Record<string, { strategy?: { matrix: { node: number[] } }; steps: { run?: string; uses?: string }[] }>;
};
const steps = (file: string) => Object.values((load(read(file)) as Workflow).jobs).flatMap((job) => job.steps);
const packageJson = JSON.parse(read("package.json"));

test("every workflow is valid against GitHub's schema, and every action it uses is pinned to a commit, its version beside it", () => {
  for (const file of workflows) assert.deepEqual(validateWorkflow(read(file)).errors, [], file);
  assert.notDeepEqual(
    validateWorkflow(read(workflows[0]!).replace(/^(\s+)steps:/m, "$1step:")).errors,
    [],
    "the schema checks nothing",
  );
  const uses = workflows.flatMap((file) => [...read(file).matchAll(/^\s*-?\s*uses:\s*(.+)$/gm)].map(([, use]) => use!));
  assert.ok(uses.length > 0);
  assert.deepEqual(
    uses.filter((use) => !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/.test(use)),
    [],
  );
});

test("the README's commands are what CI runs: npm ci, npm run build and npm test, on the Node lines engines names", () => {
  const readme = read("README.md");
  assert.match(readme, /npm ci && npm run build/);
  assert.match(readme, /^npm test\b/m);
  const runs = steps(".github/workflows/publish_image.yml").map((step) => step.run ?? "");
  for (const command of ["npm ci", "npm test"])
    assert.ok(
      runs.some((run) => run.startsWith(command)),
      command,
    );
  const lines = [...String(packageJson.engines.node).matchAll(/\^(\d+)\./g)].map(([, major]) => Number(major));
  const matrix = (load(read(".github/workflows/publish_image.yml")) as Workflow).jobs.test!.strategy!.matrix.node;
  assert.deepEqual(matrix, lines);
  assert.match(read("Dockerfile"), new RegExp(`^FROM node:${Math.max(...lines)}-`, "m"));
  const ci = read(".ci/run");
  for (const line of lines) assert.match(ci, new RegExp(`\\.ci/node-${line}\\b`));
  assert.match(ci, /^npm test$/m);
});

test("every dependency with an install script is reviewed in allowScripts, and none runs where CI or the image installs", () => {
  const { packages } = JSON.parse(read("package-lock.json")) as {
    packages: Record<string, { hasInstallScript?: boolean }>;
  };
  const scripted = Object.entries(packages).flatMap(([path, { hasInstallScript }]) =>
    hasInstallScript ? [path.replace(/.*node_modules\//, "")] : [],
  );
  assert.deepEqual(
    scripted.filter((name) => !(name in packageJson.allowScripts)),
    [],
  );
  assert.match(read(".ci/run"), /npm ci --ignore-scripts/);
  assert.match(read("Dockerfile"), /npm ci --omit=dev --ignore-scripts/);
});

test("shellcheck passes every shell script and every run step of the workflows, and finds a real mistake", () => {
  const check = (text: string, shell = "bash") =>
    spawnSync("shellcheck", ["--format=gcc", `--shell=${shell}`, "-"], { input: text, encoding: "utf8" }).stdout.trim();
  for (const file of [".ci/run", "scripts/ci/image-tags"])
    assert.equal(check(read(file), file.endsWith("tags") ? "sh" : "bash"), "", file);
  for (const file of workflows)
    for (const { run } of steps(file)) if (run) assert.equal(check(`${run}\n`), "", `${file}: ${run}`);
  assert.match(check("rm -rf $folder/*\n"), /SC2086/);
});

test("the image's tags are the portal's: the commit or the tag asked for and latest; a release's name, latest and stable; no invalid tag", () => {
  const tags = (...args: string[]) =>
    execFileSync("scripts/ci/image-tags", ["ghcr.io/x/y", ...args], { encoding: "utf8" })
      .split("\n")
      .slice(1, -2);
  assert.deepEqual(tags("push", "main", "abc123"), ["ghcr.io/x/y:abc123", "ghcr.io/x/y:latest"]);
  assert.deepEqual(tags("workflow_dispatch", "main", "abc123", "try-1"), ["ghcr.io/x/y:try-1", "ghcr.io/x/y:latest"]);
  assert.deepEqual(tags("release", "v1.2.0", "abc123"), [
    "ghcr.io/x/y:v1.2.0",
    "ghcr.io/x/y:latest",
    "ghcr.io/x/y:stable",
  ]);
  assert.equal(
    spawnSync("scripts/ci/image-tags", ["ghcr.io/x/y", "workflow_dispatch", "main", "abc", "no good"]).status,
    1,
  );
});
