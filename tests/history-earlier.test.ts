// The policy's versions in force before this repository (earlier-versions/privacy/):
// each is the text the portal published, as the git blob id recorded beside
// it says, dated by the first release that published it, as the git objects
// in the .release file beside it prove; the project's own build publishes them
// with the versions from git, each with its own words, and nothing as in force
// before the portal's first release. A wrong record is refused.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { appendFile, copyFile, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import matter from "gray-matter";
import { build } from "../lib/build.ts";
import { isoDate } from "../lib/dates.ts";
import { blobId } from "../lib/history/earlier.ts";
import { parseBatch } from "../lib/history/git.ts";
import { releaseProblem } from "../lib/history/release.ts";
import { pageVersions } from "../lib/history/versions.ts";
import { sourceErrorsIn } from "../lib/source-error.ts";
import { commitAll, git, gitInit, gitProject } from "../scripts/harness/project.ts";
import { normalText, sharedBuild, type BuiltSite } from "./helpers/build.ts";
import { readPolicy } from "./helpers/policy.ts";

const folder = join("earlier-versions", "privacy");
const files = readdirSync(folder)
  .filter((name) => name.endsWith(".md"))
  .sort();

/** A file of earlier-versions/privacy/: its front matter, the portal's text below it, and the proof of its release beside it. */
function earlier(name: string) {
  const { data, content } = matter(readFileSync(join(folder, name), "utf8"), { language: "yaml" });
  const day = (key: string) => isoDate(data[key] as Date);
  return {
    name,
    written: day("written"),
    released: day("released"),
    release: String(data.release),
    blob: String(data.blob),
    commit: String(data.commit),
    text: content,
    proof: readFileSync(join(folder, name.replace(/\.md$/, ".release"))),
  };
}

test("each earlier text is the one the portal published: git's own blob id of it is the one recorded beside it", () => {
  assert.ok(files.length > 0, "no earlier version");
  for (const version of files.map(earlier)) {
    const id = execFileSync("git", ["hash-object", "--stdin"], { input: version.text, encoding: "utf8" }).trim();
    assert.equal(id, version.blob, `${version.name}: the text is not the one at commit ${version.commit}`);
    assert.equal(blobId(version.text), id);
    assert.match(version.commit, /^[0-9a-f]{40}$/);
  }
});

test("each recorded release, as git itself reads the objects beside it: git names them so, the release contains the words' commit, the release before was committed before them, and the dates are the objects' own", async () => {
  for (const version of files.map(earlier)) {
    const scratch = gitInit(await mkdtemp(join(tmpdir(), "privacy-release-"))).root;
    const objects = parseBatch(version.proof);
    for (const object of objects) {
      const id = execFileSync("git", ["hash-object", "-t", object.type, "-w", "--stdin"], {
        cwd: scratch,
        input: object.content,
        encoding: "utf8",
      }).trim();
      assert.equal(id, object.id, `${version.name}: object ${object.id}`);
    }
    // Parents outside the proof are replaced away (git replace), so that git walks only what the proof holds.
    const ids = new Set(objects.map((object) => object.id));
    for (const object of objects.filter((o) => o.type === "commit")) {
      const text = object.content.toString("utf8");
      const walked = text.replace(/^parent ([0-9a-f]{40})\n/gm, (line, parent: string) =>
        ids.has(parent) ? line : "",
      );
      if (walked === text) continue;
      const replacement = execFileSync("git", ["hash-object", "-t", "commit", "-w", "--stdin"], {
        cwd: scratch,
        input: walked,
        encoding: "utf8",
      }).trim();
      git(scratch, ["replace", "--force", object.id, replacement]);
    }
    git(scratch, ["update-ref", `refs/tags/${version.release}`, objects[0]!.id]);
    const [tagName, tagDate] = git(scratch, [
      "for-each-ref",
      "--format=%(if)%(tag)%(then)%(tag)%(else)%(refname:short)%(end) %(creatordate:short)",
      "refs/tags",
    ])
      .trim()
      .split(" ");
    assert.deepEqual(
      [tagName, tagDate],
      [version.release, version.released],
      `${version.name}: the release and its date`,
    );
    git(scratch, ["merge-base", "--is-ancestor", version.commit, `${version.release}^{commit}`]);
    assert.equal(
      git(scratch, ["log", "-1", "--format=%as", version.commit]).trim(),
      version.written,
      `${version.name}: written`,
    );
    const previous = objects[objects.findIndex((object, i) => i > 0 && object.id === version.commit) + 1];
    if (previous)
      assert.ok(
        Number(git(scratch, ["log", "-1", "--format=%ct", previous.id])) <
          Number(git(scratch, ["log", "-1", "--format=%ct", version.commit])),
        `${version.name}: the release before holds the words`,
      );
  }
});

test("a release is the first to publish the words only if the release before was committed before them; an annotated tag is dated by its tagger", async () => {
  const root = await mkdtemp(join(tmpdir(), "privacy-releases-"));
  gitInit(root);
  const project = { root, input: root, policy: join(root, "policy.md") };
  const commitOn = async (day: string) => {
    await writeFile(project.policy, day);
    commitAll(project, day, day);
    return git(root, ["rev-parse", "HEAD"]).trim();
  };
  const before = await commitOn("2024-01-01");
  const words = await commitOn("2024-01-02");
  const after = await commitOn("2024-01-03");
  await commitOn("2024-01-04");
  git(root, ["tag", "-a", "v2.0.0", "-m", "Release"], "2024-01-05");
  const proof = (previous: string) =>
    execFileSync("git", ["cat-file", "--batch"], {
      cwd: root,
      input:
        [
          git(root, ["rev-parse", "v2.0.0"]).trim(),
          ...git(root, ["rev-list", "--ancestry-path", `${words}..v2.0.0`])
            .trim()
            .split("\n"),
          words,
          previous,
        ].join("\n") + "\n",
    });
  const record = { commit: words, written: "2024-01-02", release: "v2.0.0", released: "2024-01-05" };
  assert.equal(releaseProblem(proof(before), record), undefined);
  assert.match(
    releaseProblem(proof(after), record)?.problem ?? "",
    /was committed after the words, so it may hold them: v2\.0\.0 may not be the first release to publish them/,
  );
  assert.deepEqual(releaseProblem(proof(before), { ...record, released: "2024-01-04" }), {
    key: "released",
    problem: '"released" is 2024-01-04, but v2.0.0 is dated 2024-01-05.',
  });
  assert.equal(releaseProblem(proof(before), { ...record, commit: "f".repeat(40) })?.key, "commit");
});

describe("the project's own build", () => {
  let site: BuiltSite;
  before(async () => (site = await sharedBuild()));

  test("lists each version in force from the release that published it, with when its words were written, each read whole with its own words; the feed has an entry for each; nothing is dated in force before the first release", async () => {
    const history = await site.document("privacy/history/index.html");
    const sections = [...history.querySelectorAll("section.version")];
    const dates = sections.map((section) => section.querySelector("h2 time")?.getAttribute("datetime"));
    const versions = files.map(earlier);
    const inForce = isoDate(readPolicy().data.updated!);
    // The one in force is the newest earlier text where its words have not changed since.
    assert.deepEqual(dates, [...new Set([inForce, ...versions.map((version) => version.released).reverse()])]);
    for (const version of versions) {
      const section: Element = sections[dates.indexOf(version.released)]!;
      const published: Element = section.querySelector(".published")!;
      assert.deepEqual(
        [...published.querySelectorAll("time")].map((time) => time.getAttribute("datetime")),
        [version.written, version.released],
      );
      assert.match(
        normalText(published.textContent),
        new RegExp(`release ${version.release.replaceAll(".", "\\.")} on`),
      );
      const link: string = section.querySelector("p:not(.published) > a")!.getAttribute("href")!;
      if (link === "/privacy/") continue;
      const page = await site.document(`${link.slice(1)}index.html`);
      const [read] = pageVersions([{ text: version.text, commitDate: version.released }], { formNotice: "" });
      const content = normalText(page.querySelector("main")?.textContent);
      for (const block of read!.blocks)
        assert.ok(content.includes(block.text), `${link} lacks "${block.text}" of ${version.name}`);
      assert.equal(
        page.querySelector(".version-notice time")?.getAttribute("datetime"),
        version.released,
        `${link}: in force from its release`,
      );
    }
    assert.equal(sections.at(-1)!.querySelector(".changes"), null, "the oldest version shows no changes");
    assert.match(normalText(sections.at(-1)!.textContent), /drafts, never in force/);
    const firstRelease = versions[0]!.released;
    assert.ok(
      dates.every((date) => date! >= firstRelease),
      `a version dated before ${firstRelease}: ${dates.join(", ")}`,
    );
    const feed = await site.read("privacy/history/feed.atom");
    assert.deepEqual(
      [...feed.matchAll(/<entry>[\s\S]*?<updated>(\d{4}-\d{2}-\d{2})T/g)].map(([, day]) => day),
      dates,
    );
  });
});

test("a wrong record stops the build, naming each file and line: an edited text at its blob id, a release date that is not the tag's at its released line, and the output is unchanged", async () => {
  const project = await gitProject();
  const [edited, misdated] = files.map((name) => join(project.root, folder, name));
  await appendFile(edited!, "A sentence the portal never published.\n");
  const misdatedText = await readFile(misdated!, "utf8");
  await writeFile(misdated!, misdatedText.replace(/^released: .*$/m, "released: 2025-03-14"));
  const output = join(project.root, "public");
  await mkdir(output);
  await writeFile(join(output, "index.html"), "previous build");
  const errors = await build({ input: project.input, output }).then(
    () => assert.fail("the build succeeded"),
    sourceErrorsIn,
  );
  const lineOf = async (file: string, key: string) =>
    (await readFile(file, "utf8")).split("\n").findIndex((line) => line.startsWith(`${key}:`)) + 1;
  assert.deepEqual(
    errors.map((error) => [error.file, error.line]),
    [
      [edited, await lineOf(edited!, "blob")],
      [misdated, await lineOf(misdated!, "released")],
    ],
  );
  assert.match(errors[0]!.problem, /the text below the front matter is not the one published/);
  assert.match(
    errors[0]!.fix,
    /never edit an earlier version: put back that text exactly \(git show [0-9a-f]{40}:hugo\/content\/privacy\/_index\.md/,
  );
  assert.match(errors[1]!.problem, /"released" is 2025-03-14, but v\d+\.\d+\.\d+ is dated \d{4}-\d{2}-\d{2}\./);
  assert.match(errors[1]!.fix, /docs\/history\.md/);
  assert.equal(await readFile(join(output, "index.html"), "utf8"), "previous build");
});

test("a release proven by the objects of another version's release does not hold the words, and is refused at the commit's line", async () => {
  const project = await gitProject();
  const [first, second] = files.map((name) => join(project.root, folder, name));
  await copyFile(second!.replace(/\.md$/, ".release"), first!.replace(/\.md$/, ".release"));
  const errors = await build({ input: project.input, output: join(project.root, "public") }).then(
    () => assert.fail("the build succeeded"),
    sourceErrorsIn,
  );
  const commitLine = (await readFile(first!, "utf8")).split("\n").findIndex((line) => line.startsWith("commit:")) + 1;
  assert.deepEqual(
    errors.map((error) => [error.file, error.line]),
    [[first, commitLine]],
  );
  assert.match(errors[0]!.problem, /the \.release file does not hold commit [0-9a-f]{7}, the words' commit/);
});
