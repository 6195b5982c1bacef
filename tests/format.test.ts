// Prettier owns the layout of the code (.prettierrc.json, .prettierignore): every
// TypeScript, JavaScript and CSS file of ours is as `npm run format` leaves it,
// but for the browser scripts, which visitors get byte for byte as written.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { getFileInfo } from "prettier";

const prettier = (...args: string[]) =>
  spawnSync(process.execPath, ["node_modules/prettier/bin/prettier.cjs", ...args], { encoding: "utf8" });

test("the code is formatted by Prettier: run npm run format", () => {
  const check = prettier("--check", ".");
  assert.equal(check.status, 0, check.stdout + check.stderr);
});

test("Prettier formats the build, scripts, tests and stylesheet, and leaves the shipped browser scripts and the content alone", async () => {
  const ignored = async (file: string) => (await getFileInfo(file, { ignorePath: ".prettierignore" })).ignored;
  for (const file of [
    ".eleventy.ts",
    "lib/build.ts",
    "lib/minify-worker.js",
    "scripts/test.ts",
    "tests/format.test.ts",
    "src/assets/style.css",
  ]) {
    assert.equal(await ignored(file), false, `${file} is left out`);
  }
  for (const file of [
    "src/assets/theme.js",
    "src/assets/analytics.js",
    "src/privacy.md",
    "src/_data/site.json",
    "_includes/base.njk",
  ]) {
    assert.equal(await ignored(file), true, `${file} is formatted`);
  }
});
