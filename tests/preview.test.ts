// What the dev server (`npm start`) builds: the same page, never counted.
import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import Eleventy from "@11ty/eleventy";
import { eleventyConfigFile } from "../lib/build.ts";

test("the dev server's build has no tracker and lets live reload connect", async () => {
  const output = await mkdtemp(join(tmpdir(), "privacy-preview-"));
  const eleventy = new Eleventy("src", output, { configPath: eleventyConfigFile, quietMode: true, runMode: "watch" });
  eleventy.disableLogger();
  await eleventy.write();
  const html = await readFile(join(output, "privacy/index.html"), "utf8");
  assert.doesNotMatch(html, /analytics\.\w+\.js/);
  assert.doesNotMatch(html, /matomo\.js/);
  assert.match(html, /connect-src 'self' https:\/\/matomo\.dc\.scilifelab\.se;/);
  assert.match(html, /<iframe id="matoOpOut"/, "the opt-out form is still shown");
});
