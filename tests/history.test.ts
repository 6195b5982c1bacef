// The policy's history, built from temporary git repositories with versions
// written here: the history page, each earlier version, the feed, the date
// guard, a shallow clone and a project without git; then the project's own
// versions from before this repository, and the word changes alone.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { HtmlValidate } from "html-validate";
import { parseHTML } from "linkedom";
import { changesHtml } from "../lib/history/changes.ts";
import { pageVersions } from "../lib/history/versions.ts";
import { copyProject, npm, type Project } from "./helpers/project.ts";

const form = '{% include "matomo-opt-out.njk" %}';
const policy = (front: string[], ...paragraphs: string[]) =>
  ["---", "title: Privacy policy", "history: true", ...front, "---", "", ...paragraphs.flatMap((p) => [p, ""])].join(
    "\n",
  );
// Three commits and an edit not yet committed: a first version without "updated", a commit that only rewraps and
// emphasises, a reworded version, and the edit that adds a section.
const first = policy(
  [],
  "## Data",
  "We keep your name and your address for a year.",
  form,
  "## Contact",
  "Write to us.",
);
const markupOnly = first.replace("your name and your address for", "your **name** and your address\nfor");
const reworded = policy(
  ["updated: 2024-03-01"],
  "## Data",
  "We keep your name for two years.",
  form,
  "## Contact",
  "Write to us.",
);
const edit = reworded
  .replace("2024-03-01", "2024-06-12")
  .replace("## Contact", "## Cookies\n\nWe set none.\n\n## Contact");
const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, " ").trim();

/** A copy whose sources are committed, then its policy's texts on their days, without the project's earlier versions. */
function historyProject(texts: [string, string][]): Project {
  const project = copyProject({ leaveOut: ["earlier-versions"] });
  project.git(["init", "--quiet", "--initial-branch=main"]);
  project.git(["add", "--all", "--", ".", ":!src/privacy.md"]);
  project.git(["commit", "--quiet", "-m", "The sources"], "2023-12-01");
  for (const [body, day] of texts) {
    project.write("src/privacy.md", body);
    project.commit(day);
  }
  return project;
}

describe("the history of a repository with several versions", () => {
  let project: Project;
  const document = (path: string) => parseHTML(project.read(`public/${path}`)).document;
  before(async () => {
    project = historyProject([
      [first, "2024-01-10"],
      [markupOnly, "2024-02-01"],
      [reworded, "2024-03-04"],
    ]);
    project.write("src/privacy.md", edit);
    const run = await project.npm("build");
    assert.equal(run.code, 0, run.stderr);
  });

  test("lists the versions whose words changed, newest first, each dated by its updated or its commit, and linked", () => {
    const versions = [...document("privacy/history/index.html").querySelectorAll("section.version")];
    assert.deepEqual(
      versions.map((version) => text(version.querySelector("h2"))),
      ["Version of 12 June 2024, in force", "Version of 1 March 2024", "Version of 10 January 2024"],
    );
    assert.deepEqual(
      versions.map((version) => version.querySelector("a")?.getAttribute("href")),
      ["/privacy/", "/privacy/history/2024-03-01/", "/privacy/history/2024-01-10/"],
    );
    assert.deepEqual(readdirSync(join(project.root, "public/privacy/history")).sort(), [
      "2024-01-10",
      "2024-03-01",
      "feed.atom",
      "index.html",
    ]);
  });

  test("each version shows the words it added and removed, in its section, marked for screen readers; markup is no change", () => {
    const [newest, middle, oldest] = document("privacy/history/index.html").querySelectorAll("section.version");
    const words = (section: Element | undefined, selector: string) =>
      [...section!.querySelectorAll(selector)].map(text);
    assert.deepEqual(words(newest, ".changes ins"), ["[added: Cookies]", "[added: We set none.]"]);
    assert.deepEqual(words(middle, ".change-where"), ["In “Data”:"]);
    assert.deepEqual(words(middle, ".changes del"), ["[removed: and your address]", "[removed: a year]"]);
    assert.deepEqual(words(middle, ".changes ins"), ["[added: two years]"]);
    assert.equal(oldest!.querySelectorAll(".changes").length, 0);
    assert.ok(words(middle, ".changes ins, .changes del").every((said) => /^\[(added|removed): /.test(said!)));
  });

  test("an earlier version reads whole, marked as no longer in force, without form or tracker, kept out of search", () => {
    const page = document("privacy/history/2024-03-01/index.html");
    assert.match(
      text(page.querySelector(".version-notice"))!,
      /^No longer in force\. .* from 1 March 2024 until 12 June 2024\./,
    );
    assert.equal(
      text(page.querySelector(".content > p:not(.form-was-here):not(.updated)")),
      "We keep your name for two years.",
    );
    assert.ok(page.querySelector(".form-was-here a[href='/privacy/']"), "no notice where the form was");
    assert.equal(page.querySelectorAll("iframe, [data-opt-out-frame], script[data-matomo-origin]").length, 0);
    assert.equal(page.querySelector('meta[name="robots"]')?.getAttribute("content"), "noindex");
    assert.deepEqual([...page.querySelectorAll(".breadcrumbs li")].map(text), [
      "Home",
      "Privacy policy",
      "Earlier versions",
      text(page.querySelector("h1")),
    ]);
  });

  test("every page of the history is valid HTML, and the feed valid Atom (RFC 4287): one entry per version, dated by it", async () => {
    const validator = new HtmlValidate({ extends: ["html-validate:recommended"] });
    for (const path of ["privacy/history/index.html", "privacy/history/2024-01-10/index.html"])
      assert.deepEqual((await validator.validateString(project.read(`public/${path}`))).results, [], path);
    const xml = project.read("public/privacy/history/feed.atom");
    assert.equal(XMLValidator.validate(xml), true);
    const { feed } = new XMLParser({
      ignoreAttributes: false,
      isArray: (name) => name === "entry" || name === "link",
    }).parse(xml);
    for (const element of ["id", "title", "updated", "author"]) assert.ok(feed[element], element);
    assert.ok(feed.link.some((link: Record<string, string>) => link["@_rel"] === "self"));
    assert.equal(feed.updated, "2024-06-12T00:00:00Z");
    assert.deepEqual(
      feed.entry.map((entry: { updated: string }) => entry.updated),
      ["2024-06-12T00:00:00Z", "2024-03-01T00:00:00Z", "2024-01-10T00:00:00Z"],
    );
    for (const entry of feed.entry)
      for (const element of ["id", "title", "link", "content"]) assert.ok(entry[element], element);
    assert.ok(document("privacy/index.html").querySelector('link[rel="alternate"][href="/privacy/history/feed.atom"]'));
  });

  test("the date guard: new words under the same updated, or an older one, stop the build on updated's line", async () => {
    project.commit("2024-06-20");
    for (const updated of ["2024-06-12", "2024-05-01"]) {
      project.write("src/privacy.md", edit.replace("We set none.", "We set one.").replace("2024-06-12", updated));
      const run = await project.npm("build");
      assert.equal(run.code, 1);
      const line = edit.split("\n").findIndex((l) => l.startsWith("updated:")) + 1;
      assert.match(
        run.stderr,
        new RegExp(
          `^src/privacy\\.md:${line}: the text changed since the version of 12 June 2024, but "updated" (did not|went back)`,
          "m",
        ),
      );
    }
  });
});

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

describe("the project's own versions from before this repository", () => {
  test("each in force from the release that published it, with when its words were written, and the drafts before it", async () => {
    const project = copyProject({ git: true });
    assert.equal((await project.npm("build")).code, 0);
    const page = parseHTML(project.read("public/privacy/history/index.html")).document;
    const folder = "earlier-versions/privacy";
    for (const name of readdirSync(folder).filter((file) => file.endsWith(".md"))) {
      const data = Object.fromEntries(
        [...readFileSync(join(folder, name), "utf8").matchAll(/^(\w+): (.+)$/gm)].map((m) => [m[1], m[2]]),
      );
      const published = [...page.querySelectorAll(".published")].find((p) =>
        p.querySelector(`a[href$="/releases/tag/${data.release}"]`),
      );
      assert.ok(published, `no version published by ${data.release}`);
      assert.deepEqual(
        [...published.querySelectorAll("time")].map((time) => time.getAttribute("datetime")),
        [data.written, data.released],
      );
      assert.equal(
        published.querySelector("a")?.getAttribute("href"),
        `https://github.com/${data.repository}/releases/tag/${data.release}`,
      );
    }
    assert.match(
      page.querySelector("section.version:last-of-type a[href*='/commits/']")?.getAttribute("href") ?? "",
      /^https:\/\/github\.com\/.+\/commits\/[0-9a-f]{40}\//,
    );
  });
});

describe("versions and their changes", () => {
  const versions = (...texts: [string, string?][]) =>
    pageVersions(
      texts.map(([text, date]) => ({ text, date })),
      "<p>notice</p>",
    );
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
    assert.equal(version!.html, '<h2 id="deep">Deep</h2>\n<p>Words <span>kept</span> <b>b</b></p>\n<p>notice</p>\n');
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
