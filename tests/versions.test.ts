// The history at its edges: a shallow clone, a project without git; then the
// versions and their word changes alone.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { changesHtml } from "../lib/history/changes.ts";
import { dateGuard } from "../lib/history/index.ts";
import { pageVersions } from "../lib/history/versions.ts";
import { edit, first, historyProject, markupOnly, reworded } from "./helpers/history.ts";
import { copyProject, npm } from "./helpers/project.ts";

describe("when git cannot give the whole history", () => {
  test("a shallow clone that cuts it short stops the build with the fix; one deep enough builds every version", async () => {
    const project = historyProject([
      [first, "2024-01-10"],
      [reworded, "2024-03-04"],
      [edit, "2024-06-12"],
    ]);
    // Five commits: the sources, three of the policy, one more. Four cut the policy's first; five cut before it.
    project.git(["commit", "--quiet", "--allow-empty", "-m", "Another file changed"]);
    for (const [depth, refused] of [
      [4, true],
      [5, false],
    ] as const) {
      const clone = join(tmpdir(), `privacy-shallow-${process.pid}-${depth}`);
      execFileSync("git", ["clone", "--quiet", `--depth=${depth}`, `file://${project.root}`, clone]);
      process.once("exit", () => execFileSync("rm", ["-rf", clone]));
      execFileSync("ln", ["-s", join(project.root, "node_modules"), join(clone, "node_modules")]);
      const run = await npm(clone, "build");
      assert.equal(run.code, refused ? 1 : 0, run.stderr);
      if (refused) assert.match(run.stderr, /^src\/privacy\.md: .*shallow clone.*\n {4}Fix: .*git fetch --unshallow/m);
      else assert.ok(existsSync(join(clone, "public/privacy/history/2024-01-10/index.html")));
    }
  });

  test("without git (a downloaded archive) the page is built without history, says so in one line, and links to nothing missing", async () => {
    const project = copyProject();
    const run = await project.npm("build");
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stderr.trim().split("\n"), [
      "Built src/privacy.md without its earlier versions, since the project is not in a git repository (a downloaded archive?).",
    ]);
    assert.ok(!existsSync(join(project.root, "public/privacy/history")));
    assert.doesNotMatch(project.read("public/privacy/index.html"), /history/);
  });
});

describe("versions and their changes", () => {
  const versions = (...texts: [string, string?][]) =>
    pageVersions(
      texts.map(([text, date]) => ({ text, date })),
      "<p>notice</p>",
    );
  test("the date guard: new words under an older updated are refused on updated's line", () => {
    const text = edit.replace("2024-06-12", "2024-02-01");
    const found = dateGuard({ file: "p.md", text, data: {}, url: "/p/" }, versions([reworded, "2024-03-04"], [text]));
    assert.equal(found?.line, text.split("\n").findIndex((line) => line.startsWith("updated:")) + 1);
    assert.match(found!.problem, /since the version of 1 March 2024, but "updated" went back to 2024-02-01/);
  });
  test("markup, attributes and line wrapping make no version; a later commit correcting updated dates the one before; one day, two slugs", () => {
    const found = versions(
      [first, "2024-01-10"],
      [markupOnly, "2024-02-01"],
      [first.replace("history: true", "history: true\nupdated: 2024-01-09"), "2024-02-02"],
    );
    assert.deepEqual(
      found.map((version) => version.date),
      ["2024-01-09"],
    );
    const sameDay = versions([first, "2024-01-10"], [reworded.replace("2024-03-01", "2024-01-10"), "2024-01-10"]);
    assert.deepEqual(
      sameDay.map((version) => version.slug),
      ["2024-01-10", "2024-01-10-2"],
    );
  });
  test("an earlier text keeps its words, loses what today's rules refuse, shows where the form was, and skips no heading level", () => {
    const frame = '<iframe src="https://m/index.php?module=CoreAdminHome&action=optOut"></iframe>';
    const old = `---\ntitle: T\n---\n\n#### Deep\n\nWords <span>kept</span> <b onclick="x()">b</b>\n\n<script>x()</script>\n\n${frame}\n`;
    const [version] = versions([old, "2024-01-01"]);
    assert.equal(
      version!.render(),
      '<h2 id="deep">Deep</h2>\n<p>Words <span>kept</span> <b>b</b></p>\n<p>notice</p>\n',
    );
  });
  test("the changes as HTML: each changed paragraph whole, <ins> and <del> announced to screen readers, the text escaped", () => {
    const html = changesHtml(
      [{ heading: false, text: "We keep <b> a year." }],
      [{ heading: false, text: "We keep <b> two years." }],
    );
    assert.equal(
      html,
      '<ol class="changes"><li><p class="change-where">Before the first section:</p><p class="change-text">We keep &lt;b&gt; <del><span class="visually-hidden">[removed: </span>a year<span class="visually-hidden">]</span></del><ins><span class="visually-hidden">[added: </span>two years<span class="visually-hidden">]</span></ins>.</p></li></ol>',
    );
  });
});
