// What the build refuses in a maintainer's edit: each mistake stops
// `npm run build` on its file's line with a fix, no stack trace and public/
// as it was; one run lists every mistake; `npm run lint` agrees.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync, rmSync, watch } from "node:fs";
import { join, relative } from "node:path";
import { describe, test } from "node:test";
import { copyProject, type Project } from "./helpers/project.ts";

const policy = readFileSync("src/privacy.md", "utf8");
const lines = policy.split("\n");
/** The line after the policy's first section heading, where each edit below goes in (from 1). */
const at = lines.findIndex((line) => line.startsWith("## ")) + 2;
/** The policy with `added` after its first section heading, and a later "updated". */
const edited = (added: string, text = policy) =>
  [...text.split("\n").slice(0, at - 1), "", added, ...text.split("\n").slice(at - 1)]
    .join("\n")
    .replace(/^updated: .*$/m, "updated: 2099-01-01");

/** public/'s files, by their paths in it, and their bytes. */
const snapshot = (project: Project) =>
  readdirSync(join(project.root, "public"), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry): [string, Buffer] => {
      const path = join(entry.parentPath, entry.name);
      return [relative(join(project.root, "public"), path), readFileSync(path)];
    });

/** Builds `project` once more, expecting it to fail: its stderr, with public/ as it was. */
async function refused(project: Project): Promise<string> {
  const before = snapshot(project);
  const run = await project.npm("build");
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.doesNotMatch(run.stderr, /^\s+at /m, "a stack trace");
  assert.match(run.stderr, /^Build failed; public\/ is unchanged\.$/m);
  assert.deepEqual(snapshot(project), before, "public/ changed");
  assert.deepEqual(
    readdirSync(project.root).filter((name) => name.startsWith(".public-")),
    [],
    "a staging folder is left",
  );
  return run.stderr;
}

describe("npm run build refuses", () => {
  const project = copyProject({ git: true });
  // The build each refusal below leaves in place, with a page that is taken out of the sources later.
  let first: Map<string, Buffer>;
  test("a page with a UTF-8 byte-order mark and CRLF line endings builds, its letters intact", async () => {
    project.write("src/privacy.md", `\ufeff${edited("Malmö och Umeå.").replace(/\n/g, "\r\n")}`);
    project.write("src/extra.md", "---\ntitle: Extra\n---\n\nA page for a while.\n");
    assert.equal((await project.npm("build")).code, 0);
    assert.match(project.read("public/privacy/index.html"), /Malmö och Umeå\./);
    first = new Map(snapshot(project));
  });

  test("a build killed halfway: the next, in another time zone, ships nothing it wrote, leaves nothing beside public/, drops the page taken out, and is byte-identical", async () => {
    const build = spawn("npm", ["run", "build"], { cwd: project.root, detached: true, stdio: "ignore" });
    await new Promise<void>((writing) => {
      const watcher = watch(project.root, (_, name) => name === ".public-next" && [watcher.close(), writing()]);
    });
    process.kill(-build.pid!, "SIGKILL");
    await once(build, "exit");
    // What it may have written before it was killed, and the folder a kill between the swap's two renames leaves.
    project.write(".public-next/stale.html", "");
    project.write(".public-old/index.html", "");
    rmSync(join(project.root, "src/extra.md"));
    assert.equal((await project.npm("build", [], { TZ: "Pacific/Kiritimati" })).code, 0);
    assert.ok(!existsSync(join(project.root, "public/stale.html")), "the killed build's file is served");
    assert.ok(!existsSync(join(project.root, "public/extra")), "the removed page lingers");
    const second = new Map(snapshot(project));
    for (const [file, bytes] of first) if (!file.startsWith("extra/")) assert.ok(second.get(file)?.equals(bytes), file);
    assert.deepEqual(
      readdirSync(project.root).filter((name) => name.startsWith(".public-")),
      [],
    );
  });

  // Each Markdown mistake the build and `npm run lint` refuse, one a paragraph after `at`.
  const mistakes = [
    "#### A heading that skips a level",
    "See [a dead fragment](#no-such-heading).",
    "See [](/contact) a link with no words.",
    "![](/assets/img/LICENSE.txt)",
    "<script>alert(1)</script>",
    "![An image from another site](https://example.org/cat.png)",
    '<a href="javascript:alert(1)">A javascript: link</a>',
  ];
  test("every Markdown mistake, the opt-out form gone, new words under the same updated: each on its line with a fix, in file order, as npm run lint says", async () => {
    const text = edited(mistakes.join("\n\n"))
      .replace(/^\{% include "matomo-opt-out\.njk" %\}\n\n/m, "")
      .replace(/^updated: .*$/m, /^updated: .*$/m.exec(policy)![0]);
    project.write("src/privacy.md", text);
    const stderr = await refused(project);
    const found = [...stderr.matchAll(/^src\/privacy\.md:(\d+): (.*)\n {4}Fix: \S/gm)];
    const foundLines = found.map(([, line]) => Number(line));
    assert.deepEqual(
      foundLines,
      foundLines.toSorted((a, b) => a - b),
      "not in file order",
    );
    assert.match(found[0]![2]!, /"updated" did not/);
    assert.match(stderr, /: .*opt-out form exactly once \[0 times\]/);
    const mistakeLines = mistakes.map((_, index) => at + 1 + 2 * index);
    for (const line of mistakeLines) assert.ok(foundLines.includes(line), `nothing on line ${line}: ${stderr}`);
    assert.equal(found.length, mistakes.length + 2, stderr);
    const lint = await project.npm("lint");
    assert.equal(lint.code, 1);
    assert.deepEqual(
      lint.stderr.split("\n").filter((line) => line.startsWith("src/")),
      found.slice(1).map(([line]) => line.split("\n")[0]),
    );
  });

  test("a {{ or a {% if %} never closed, on its line", async () => {
    for (const mistake of ["Braces {{ here\n\nand more words.", "{% if true %}\n\nThe rest."]) {
      project.write("src/privacy.md", edited(mistake));
      assert.match(await refused(project), new RegExp(`^src/privacy\\.md:${at + 1}: .*\\n {4}Fix: \\S`, "m"));
    }
  });

  test("a page saved as Latin-1, on the line of its first bad byte; one saved as UTF-16, on line 1", async () => {
    project.write("src/privacy.md", Buffer.from(edited("Malmö"), "latin1"));
    project.write("src/other.md", Buffer.from(`\ufeff${policy}`, "utf16le"));
    const stderr = await refused(project);
    assert.match(stderr, /^src\/other\.md:1: the file is not UTF-8/m);
    assert.match(stderr, new RegExp(`^src/privacy\\.md:${at + 1}: the file is not UTF-8`, "m"));
    rmSync(join(project.root, "src/other.md"));
  });

  test("a filter or a template that does not exist, on the line that names it; a broken stylesheet, by name", async () => {
    project.write("src/privacy.md", edited("{{ title | shout }}"));
    assert.match(
      await refused(project),
      new RegExp(`^src/privacy\\.md:${at + 1}: Nunjucks .*filter not found: shout`, "m"),
    );
    project.write("src/privacy.md", edited('{% include "nope.njk" %}'));
    assert.match(
      await refused(project),
      new RegExp(`^src/privacy\\.md:${at + 1}: .*template not found: nope\\.njk\\.\\n.*matomo-opt-out\\.njk`, "m"),
    );
    project.write("src/privacy.md", policy);
    project.write("src/assets/style.css", `${readFileSync("src/assets/style.css", "utf8")}\na { color: red`);
    assert.match(await refused(project), /^src\/assets\/style\.css: the stylesheet has a mistake/m);
  });
});
