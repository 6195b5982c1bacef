// The type check, part of `npm test`: TypeScript `strict` over the build, the
// scripts and the tests, and over every browser script against the DOM's
// types (npm run typecheck runs the same). A test file of its own, so it
// runs beside the others.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const { scripts } = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
const projects = [...scripts.typecheck!.matchAll(/tsc --noEmit(?: -p (\S+))?/g)].map(([, project]) => project ?? "tsconfig.json");

const tsc = (project: string) =>
  new Promise<{ code: number | null; output: string }>((resolve) => {
    const run = spawn(process.execPath, ["node_modules/typescript/bin/tsc", "--noEmit", "-p", project], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    run.stdout.on("data", (chunk) => (output += chunk));
    run.stderr.on("data", (chunk) => (output += chunk));
    run.on("close", (code) => resolve({ code, output }));
  });

test("every TypeScript source and browser script type-checks", async () => {
  assert.deepEqual(projects, ["tsconfig.json", "tsconfig.browser.json", "tests/helpers/matomo/tsconfig.json"]);
  for (const [project, { code, output }] of (await Promise.all(projects.map(async (project) => [project, await tsc(project)] as const)))) {
    assert.equal(code, 0, `${project}:\n${output}`);
  }
});
