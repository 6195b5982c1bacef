// Bad front matter or raw HTML stops the build with one clear message and loses nothing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { build, npmBuildArguments } from "../lib/build.ts";
import { findSourceError } from "../lib/source-error.ts";

/** A copy of the project with `page` as its one page, and an output folder holding a previous build. */
async function project(page: string) {
  const root = await mkdtemp(join(tmpdir(), "privacy-bad-"));
  const input = join(root, "src");
  const output = join(root, "public");
  await cp("src/_data", join(input, "_data"), { recursive: true });
  await cp("src/assets", join(input, "assets"), { recursive: true });
  await cp("_includes", join(root, "_includes"), { recursive: true });
  await mkdir(output);
  await writeFile(join(input, "privacy.md"), page);
  await writeFile(join(output, "index.html"), "previous build");
  return { input, output, page: join(input, "privacy.md") };
}

/** Builds `input` into `output`, which must fail with a SourceError; returns it. */
async function failedBuild(input: string, output: string) {
  const error = await build({ input, output }).then(() => assert.fail("the build succeeded"), findSourceError);
  assert.ok(error, "no SourceError in the failure");
  assert.equal(await readFile(join(output, "index.html"), "utf8"), "previous build", "the previous output changed");
  return error;
}

const cases = [
  { name: "a YAML syntax error", page: "---\ntitle: Privacy policy\nupdated: [2025\n---\nText\n", message: /:\d+: the front matter is not valid YAML/ },
  { name: "a missing title", page: "---\nupdated: 2025-03-05\n---\nText\n", message: /:1: the front matter has no "title"/ },
  { name: "a title of the wrong type", page: "---\ntitle: 12\n---\nText\n", message: /:2: "title" must be a non-empty text, but it is 12/ },
  { name: "an unknown key", page: "---\ntitel: Privacy policy\n---\nText\n", message: /:2: unknown front matter key "titel"/ },
  { name: "a bad date", page: "---\ntitle: Privacy policy\nupdated: 2025-02-30\n---\nText\n", message: /:3: "updated" must be a real date/ },
  { name: "a raw script", page: "---\ntitle: Privacy policy\n---\nText\n\n<script>alert(1)</script>\n", message: /:6: raw HTML <script> is not allowed/ },
  { name: "a javascript: link", page: "---\ntitle: Privacy policy\n---\n[Opt out](javascript:void(0))\n", message: /:4: a javascript: URL is not allowed/ },
];

describe("a build with bad page sources", () => {
  for (const { name, page, message } of cases) {
    test(`fails on ${name}, naming the file, and keeps the previous output`, async () => {
      const { input, output, page: file } = await project(page);
      const error = await failedBuild(input, output);
      assert.equal(error.file, file);
      assert.match(error.message, message);
    });
  }

  test("fails on site data Matomo would reject, naming the file and line, and keeps the previous output", async () => {
    const { input, output } = await project("---\ntitle: Privacy policy\n---\nText\n");
    const data = join(input, "_data", "site.json");
    const text = await readFile(data, "utf8");
    await writeFile(data, text.replace('"siteId": 11', '"siteId": 0'));
    const error = await failedBuild(input, output);
    assert.equal(error.file, data);
    assert.equal(error.line, text.split("\n").findIndex((line) => line.includes('"siteId"')) + 1);
    assert.match(error.problem, /positive whole number/);
  });

  test("fails on a broken stylesheet, naming it, and keeps the previous output", async () => {
    const { input, output } = await project("---\ntitle: Privacy policy\n---\nText\n");
    await writeFile(join(input, "assets", "style.css"), "body { color: red; }\n}}} a {");
    const error = await failedBuild(input, output);
    assert.equal(error.file, join(input, "assets", "style.css"));
    assert.match(error.problem, /the stylesheet has an error/);
  });

  test("`npm run build` prints the one message with its fix, no stack trace, and exits non-zero", async () => {
    const { input, output, page } = await project(cases[3]!.page);
    const run = spawnSync(process.execPath, [...npmBuildArguments(), "--input", input, "--output", output], {
      encoding: "utf8",
      env: { ...process.env, DEBUG: "" },
    });
    assert.equal(run.status, 1);
    assert.equal(
      run.stderr,
      `Build failed; ${output}/ is unchanged.\n${page}:2: unknown front matter key "titel".\n` +
        `    Fix: did you mean "title"? The keys a page may have are: title, description, updated, lang, layout, permalink, noindex.\n`,
    );
    assert.doesNotMatch(run.stderr + run.stdout, /\n\s+at /);
    assert.equal(await readFile(join(output, "index.html"), "utf8"), "previous build");
  });
});
