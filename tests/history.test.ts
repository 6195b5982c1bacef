// The policy's history, built from temporary git repositories with versions
// written here: the history page, each earlier version, the feed, the date
// guard, a shallow clone and a project without git.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { appendFile, mkdir, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { HtmlValidate, StaticConfigLoader } from "html-validate";
import { parseHTML } from "linkedom";
import { build } from "../lib/build.ts";
import { checkVersionDate } from "../lib/history/plugin.ts";
import { pageVersions } from "../lib/history/versions.ts";
import { npmScriptArguments } from "../lib/npm-scripts.ts";
import { loadSite } from "../lib/site.ts";
import { findSourceError } from "../lib/source-error.ts";
import { normalText, withoutTimingNotices } from "./helpers/build.ts";
import { commitAll, git, gitInit, gitProject, projectCopy } from "../scripts/harness/project.ts";

const site = loadSite();
const optOutForm = '{% include "matomo-opt-out.njk" %}';
const policy = (front: string[], paragraphs: string[]) =>
  ["---", "title: Privacy policy", ...front, "---", "", ...paragraphs.flatMap((p) => [p, ""])].join("\n");

// Four commits and an edit not yet committed: a first version without "updated", a commit
// that only rewraps and emphasises, a reworded version, and the edit that adds a section.
const first = policy(
  [],
  ["## Data", "We keep your name and your address for a year.", optOutForm, "## Contact", "Write to us at the desk."],
);
const markupOnly = policy(
  [],
  [
    "## Data",
    "We keep your **name** and your address\nfor a year.",
    optOutForm,
    "## Contact",
    "Write to us at the desk.",
  ],
);
const reworded = policy(
  ["updated: 2024-03-01"],
  ["## Data", "We keep your name for two years.", optOutForm, "## Contact", "Write to us at the desk."],
);
const edit = policy(
  ["updated: 2024-06-12", "history: true"],
  [
    "## Data",
    "We keep your name for two years.",
    optOutForm,
    "## Cookies",
    "We set none.",
    "## Contact",
    "Write to us at the desk.",
  ],
);

async function outputWithPrevious(): Promise<string> {
  const output = join(await mkdtemp(join(tmpdir(), "privacy-history-out-")), "public");
  await mkdir(output);
  await writeFile(join(output, "index.html"), "previous build");
  return output;
}

const htmlValidate = new HtmlValidate(new StaticConfigLoader(JSON.parse(readFileSync(".htmlvalidate.json", "utf8"))));

describe("the policy's history, from a repository with several versions", () => {
  let output: string;
  const read = (path: string) => readFile(join(output, path), "utf8");
  const documentOf = async (path: string) => parseHTML(await read(path)).document;

  before(async () => {
    const project = await gitProject([
      { text: first, day: "2024-01-10" },
      { text: markupOnly, day: "2024-02-01" },
      { text: reworded, day: "2024-03-04" },
    ]);
    await writeFile(project.policy, edit);
    output = join(project.root, "public");
    await build({ input: project.input, output });
  });

  test("the history page lists the versions whose words changed, newest first, each dated and linked", async () => {
    const document = await documentOf("privacy/history/index.html");
    const versions = [...document.querySelectorAll("section.version")];
    assert.deepEqual(
      versions.map((v) => v.querySelector("h2 time")?.getAttribute("datetime")),
      ["2024-06-12", "2024-03-01", "2024-01-10"],
    );
    assert.deepEqual(
      versions.map((v) => normalText(v.querySelector("h2")?.textContent)),
      ["Version of 12 June 2024, in force", "Version of 1 March 2024", "Version of 10 January 2024"],
    );
    assert.deepEqual(
      versions.map((v) => v.querySelector("a")?.getAttribute("href")),
      ["/privacy/", "/privacy/history/2024-03-01/", "/privacy/history/2024-01-10/"],
    );
    for (const path of ["2024-03-01", "2024-01-10"])
      assert.ok(existsSync(join(output, "privacy", "history", path, "index.html")));
    assert.deepEqual((await readdir(join(output, "privacy", "history"))).sort(), [
      "2024-01-10",
      "2024-03-01",
      "feed.atom",
      "index.html",
    ]);
  });

  test("each version shows the words it added and removed, in context, and nothing for markup", async () => {
    const document = await documentOf("privacy/history/index.html");
    const [newest, middle, oldest] = [...document.querySelectorAll("section.version")];
    const words = (section: Element, tag: string) =>
      [...section.querySelectorAll(tag)].map((e) => normalText(e.textContent));
    assert.deepEqual(words(newest!, ".changes ins"), ["[added: Cookies]", "[added: We set none.]"]);
    assert.deepEqual(words(newest!, ".changes del"), []);
    assert.deepEqual(words(middle!, ".changes .change-where"), ["In “Data”:"]);
    assert.deepEqual(words(middle!, ".changes del"), ["[removed: and your address]", "[removed: a year]"]);
    assert.deepEqual(words(middle!, ".changes ins"), ["[added: two years]"]);
    // The paragraph whole, as the newer version has it, once the removed words are taken out.
    assert.equal(
      normalText(
        middle!
          .querySelector(".change-text")
          ?.textContent?.replace(/\[removed: [^\]]*\]/g, "")
          .replace(/\[added: ([^\]]*)\]/g, "$1"),
      ),
      "We keep your name for two years.",
    );
    assert.equal(oldest!.querySelectorAll(".changes").length, 0);
    // The hidden words are for screen readers; sighted readers see underline and strike-through.
    assert.ok(
      [...document.querySelectorAll(".changes ins, .changes del")].every((e) =>
        e.firstElementChild?.classList.contains("visually-hidden"),
      ),
    );
  });

  test("an earlier version reads whole, as it was, marked as no longer in force, without form or tracker, and kept out of search", async () => {
    const document = await documentOf("privacy/history/2024-01-10/index.html");
    assert.equal(document.querySelector('meta[name="robots"]')?.getAttribute("content"), "noindex");
    assert.equal(document.querySelector('link[rel="canonical"]'), null);
    assert.equal(document.querySelector("script[data-matomo-origin]"), null);
    assert.equal(document.querySelector("[data-matomo-opt-out], iframe"), null);
    const notice = document.querySelector(".version-notice")!;
    assert.match(normalText(notice.textContent), /^No longer in force\./);
    assert.deepEqual(
      [...notice.querySelectorAll("time")].map((t) => t.getAttribute("datetime")),
      ["2024-01-10", "2024-03-01"],
    );
    assert.equal(notice.querySelector("a")?.getAttribute("href"), "/privacy/");
    assert.equal(document.querySelector(".form-was-here a")?.getAttribute("href"), site.matomo.optOutPage);
    const content = normalText(document.querySelector(".content")?.textContent);
    assert.ok(content.includes("We keep your name and your address for a year."), content);
    assert.deepEqual(
      [...document.querySelectorAll("nav.breadcrumbs a")].map((a) => a.getAttribute("href")),
      [`${site.origin}/`, "/privacy/", "/privacy/history/"],
    );
  });

  test("the policy page links its history and announces the feed", async () => {
    const document = await documentOf("privacy/index.html");
    assert.equal(document.querySelector(".updated a")?.getAttribute("href"), "/privacy/history/");
    assert.equal(
      document.querySelector('link[rel="alternate"][type="application/atom+xml"]')?.getAttribute("href"),
      "/privacy/history/feed.atom",
    );
    assert.equal(
      (await documentOf("privacy/history/index.html")).querySelector(
        'link[rel="alternate"][type="application/atom+xml"]',
      ),
      null,
    );
  });

  test("every page of the history is valid HTML", async () => {
    for (const path of [
      "privacy/history/index.html",
      "privacy/history/2024-03-01/index.html",
      "privacy/history/2024-01-10/index.html",
    ]) {
      const report = await htmlValidate.validateFile(join(output, path));
      assert.deepEqual(
        report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`)),
        [],
        path,
      );
    }
  });

  test("the feed is valid Atom 1.0: RFC 4287's required elements, one entry per version, dated by its version", async () => {
    const xml = await read("privacy/history/feed.atom");
    assert.equal(XMLValidator.validate(xml), true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "@",
      isArray: (name) => ["entry", "link"].includes(name),
    }).parse(xml) as { feed: Record<string, unknown> };
    type Link = { "@rel": string; "@href": string; "@type": string };
    const feed = parsed.feed as {
      "@xmlns": string;
      id: string;
      title: string;
      updated: string;
      author: { name: string };
      link: Link[];
      entry: Record<string, unknown>[];
    };
    assert.equal(feed["@xmlns"], "http://www.w3.org/2005/Atom");
    assert.equal(feed.id, `${site.origin}/privacy/history/feed.atom`);
    assert.equal(feed.title, "Privacy policy: changes");
    assert.equal(feed.updated, "2024-06-12T00:00:00Z");
    assert.ok(feed.author.name);
    assert.deepEqual(
      feed.link.map((l) => [l["@rel"], l["@href"]]),
      [
        ["self", `${site.origin}/privacy/history/feed.atom`],
        ["alternate", `${site.origin}/privacy/history/`],
      ],
    );
    const entries = feed.entry as {
      id: string;
      title: string;
      updated: string;
      link: Link[];
      content: { "@type": string; "#text": string };
    }[];
    assert.deepEqual(
      entries.map((e) => e.updated),
      ["2024-06-12T00:00:00Z", "2024-03-01T00:00:00Z", "2024-01-10T00:00:00Z"],
    );
    assert.deepEqual(
      entries.map((e) => e.link[0]!["@href"]),
      [
        `${site.origin}/privacy/`,
        `${site.origin}/privacy/history/2024-03-01/`,
        `${site.origin}/privacy/history/2024-01-10/`,
      ],
    );
    assert.equal(new Set(entries.map((e) => e.id)).size, 3);
    for (const entry of entries) {
      assert.match(entry.id, /^tag:genomes\.scilifelab\.se,\d{4}-\d{2}-\d{2}:\/privacy\/history\/[\d-]+$/);
      assert.ok(entry.title);
      assert.equal(entry.content["@type"], "html");
    }
    const content = parseHTML(`<div>${entries[1]!.content["#text"]}</div>`).document;
    assert.deepEqual(
      [...content.querySelectorAll("ins")].map((e) => normalText(e.textContent)),
      ["[added: two years]"],
    );
  });
});

describe("the date guard", () => {
  test("stops the build when the text changed but updated did not, or went back, and keeps the previous output", async () => {
    const project = await gitProject([
      { text: reworded.replace("updated: 2024-03-01", "updated: 2024-03-01\nhistory: true"), day: "2024-03-04" },
    ]);
    const output = await outputWithPrevious();
    const line = reworded.split("\n").indexOf("updated: 2024-03-01") + 1;
    for (const [updated, message] of [
      ["2024-03-01", 'the text changed since the version of 1 March 2024, but "updated" did not.'],
      ["2024-02-01", 'the text changed since the version of 1 March 2024, but "updated" went back to 2024-02-01.'],
    ] as const) {
      await writeFile(project.policy, edit.replace("updated: 2024-06-12", `updated: ${updated}`));
      const error = await build({ input: project.input, output }).then(
        () => assert.fail("the build succeeded"),
        findSourceError,
      );
      assert.equal(error?.file, project.policy);
      assert.equal(error?.line, line);
      assert.equal(error?.problem, message);
      assert.match(
        error!.fix,
        /set "updated:" to the day this text reaches visitors, the day of the release that deploys it \(later than 2024-03-01\)/,
      );
      assert.equal(await readFile(join(output, "index.html"), "utf8"), "previous build");
    }
  });

  test("on the dev server it is a warning, and the page is served", () => {
    const versions = pageVersions(
      [{ text: reworded, commitDate: "2024-03-04" }, { text: edit.replace("2024-06-12", "2024-03-01") }],
      { formNotice: "" },
    );
    const warnings: string[] = [];
    assert.doesNotThrow(() =>
      checkVersionDate(versions, edit.replace("2024-06-12", "2024-03-01"), "src/privacy.md", {
        strict: false,
        log: (line) => warnings.push(line),
      }),
    );
    assert.equal(warnings.length, 1);
    const line = edit.split("\n").findIndex((text) => text.startsWith("updated:")) + 1;
    assert.ok(warnings[0]!.startsWith(`Warning: src/privacy.md:${line}: `), warnings[0]);
    assert.match(warnings[0]!, /: the text changed since the version of 1 March 2024, but "updated" did not\./);
    assert.throws(
      () => checkVersionDate(versions, edit.replace("2024-06-12", "2024-03-01"), "src/privacy.md", { strict: true }),
      /did not/,
    );
  });
});

describe("when the history cannot be read", () => {
  test("a shallow clone stops the build with how to fetch the history, and keeps the previous output", async () => {
    const project = await gitProject([
      { text: first, day: "2024-01-10" },
      { text: edit, day: "2024-06-12" },
    ]);
    const shallow = join(await mkdtemp(join(tmpdir(), "privacy-shallow-")), "clone");
    git(project.root, ["clone", "--quiet", "--depth=1", `file://${project.root}`, shallow]);
    assert.equal(git(shallow, ["rev-parse", "--is-shallow-repository"]).trim(), "true");
    const output = await outputWithPrevious();
    const error = await build({ input: join(shallow, "src"), output }).then(
      () => assert.fail("the build succeeded"),
      findSourceError,
    );
    assert.equal(error?.file, join(shallow, "src", "privacy.md"));
    assert.match(error!.problem, /shallow clone/);
    assert.match(error!.fix, /git fetch --unshallow.*fetch-depth: 0/);
    assert.equal(await readFile(join(output, "index.html"), "utf8"), "previous build");
  });

  test("a shallow clone deep enough to hold every commit of the policy builds its whole history", async () => {
    // The sources, then the policy's two versions: a clone of depth 2 holds both, and its cut is before the policy was written.
    const project = gitInit((await projectCopy("privacy-deep-", false)).root);
    git(project.root, ["add", "--all", "--", ".", ":!src/privacy.md"]);
    git(project.root, ["commit", "--quiet", "-m", "Everything but the policy"]);
    await writeFile(project.policy, first.replace("title: Privacy policy", "title: Privacy policy\nhistory: true"));
    commitAll(project, "The policy", "2024-01-10");
    await writeFile(project.policy, edit);
    commitAll(project, "The policy changed", "2024-06-12");
    const clone = join(await mkdtemp(join(tmpdir(), "privacy-deep-clone-")), "clone");
    git(project.root, ["clone", "--quiet", "--depth=3", `file://${project.root}`, clone]);
    assert.equal(git(clone, ["rev-parse", "--is-shallow-repository"]).trim(), "true");
    const output = join(clone, "public");
    await build({ input: join(clone, "src"), output });
    const { document } = parseHTML(await readFile(join(output, "privacy", "history", "index.html"), "utf8"));
    assert.deepEqual(
      [...document.querySelectorAll("section.version h2 time")].map((time) => time.getAttribute("datetime")),
      ["2024-06-12", "2024-01-10"],
    );
  });

  test("without git (a downloaded archive) the page is built without history, says so in one line, and links to nothing missing", async () => {
    const project = await projectCopy("privacy-archive-");
    const output = join(project.root, "public");
    const run = spawnSync(
      process.execPath,
      [...npmScriptArguments("build"), "--input", project.input, "--output", output],
      { encoding: "utf8" },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(withoutTimingNotices(run.stderr).trim().split("\n"), [
      `Built ${project.policy} without its earlier versions, since the project is not in a git repository (a downloaded archive?).`,
    ]);
    assert.equal(existsSync(join(output, "privacy", "history")), false);
    const { document } = parseHTML(await readFile(join(output, "privacy", "index.html"), "utf8"));
    assert.equal(document.querySelector(".updated a"), null);
    assert.equal(document.querySelector('link[rel="alternate"]'), null);
  });

  test("a page that was never committed has one version, its own", async () => {
    const project = gitInit((await projectCopy("privacy-untracked-", false)).root);
    git(project.root, ["add", "--all", "--", ".", ":!src/privacy.md"]);
    git(project.root, ["commit", "--quiet", "-m", "Everything but the policy"]);
    assert.match(git(project.root, ["status", "--porcelain"]), /\?\? src\/privacy\.md/);
    const output = join(project.root, "public");
    await build({ input: project.input, output });
    const { document } = parseHTML(await readFile(join(output, "privacy", "history", "index.html"), "utf8"));
    assert.equal(document.querySelectorAll("section.version").length, 1);
  });
});

describe("building the history again", () => {
  /** Every file under `folder`, by its path, with its bytes. */
  async function filesOf(folder: string): Promise<Map<string, Buffer>> {
    const names = (await readdir(folder, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
    return new Map(
      await Promise.all(names.sort().map(async (name) => [name.slice(folder.length), await readFile(name)] as const)),
    );
  }

  test("the same commit builds the same bytes; a template changed, or a new commit, shows in the next build", async () => {
    // Words of this run's own, in every version: nothing an earlier build kept can match them.
    const run = `Run ${randomUUID()}.`;
    const withRun = (text: string) => `${text}\n${run}\n`;
    const project = await gitProject([
      { text: withRun(first), day: "2024-01-10" },
      { text: withRun(reworded), day: "2024-03-04" },
      { text: withRun(edit), day: "2024-06-12" },
    ]);
    const output = (name: string) => join(project.root, name);
    await build({ input: project.input, output: output("first") });
    await build({ input: project.input, output: output("again") });
    assert.deepEqual(await filesOf(output("again")), await filesOf(output("first")));
    const earlierVersion = (name: string) =>
      readFile(join(output(name), "privacy", "history", "2024-03-01", "index.html"), "utf8");

    // In a process of its own: a process keeps the templates it has read.
    await appendFile(join(project.root, "_includes", "footer.njk"), "<p>A footnote of the layout's.</p>\n");
    const apart = spawnSync(
      process.execPath,
      [...npmScriptArguments("build"), "--input", project.input, "--output", output("layout")],
      { encoding: "utf8" },
    );
    assert.equal(apart.status, 0, apart.stderr);
    assert.equal(withoutTimingNotices(apart.stderr), "");
    assert.ok((await earlierVersion("layout")).includes("A footnote of the layout's."));

    await writeFile(
      project.policy,
      withRun(edit.replace("We set none.", "We set one, for the language.").replace("2024-06-12", "2024-09-01")),
    );
    commitAll(project, "The cookie", "2024-09-02");
    await build({ input: project.input, output: output("commit") });
    const { document } = parseHTML(await readFile(join(output("commit"), "privacy", "history", "index.html"), "utf8"));
    assert.deepEqual(
      [...document.querySelectorAll("section.version h2 time")].map((time) => time.getAttribute("datetime")),
      ["2024-09-01", "2024-06-12", "2024-03-01", "2024-01-10"],
    );
  });
});
