// The policy's versions from before this repository (earlier-versions/privacy/):
// each is the text the portal published, as the git blob id recorded beside
// it says; the project's own build publishes them with the versions from git,
// each with its own words; a text edited by mistake is refused.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import matter from "gray-matter";
import { build } from "../lib/build.ts";
import { isoDate } from "../lib/dates.ts";
import { blobId } from "../lib/history/earlier.ts";
import { pageVersions } from "../lib/history/versions.ts";
import { sourceErrorsIn } from "../lib/source-error.ts";
import { gitProject } from "../scripts/harness/project.ts";
import { normalText, sharedBuild, type BuiltSite } from "./helpers/build.ts";
import { readPolicy } from "./helpers/policy.ts";

const folder = join("earlier-versions", "privacy");
const files = readdirSync(folder).filter((name) => name.endsWith(".md")).sort();

/** A file of earlier-versions/privacy/: its front matter, and the portal's text below it. */
function earlier(name: string) {
  const { data, content } = matter(readFileSync(join(folder, name), "utf8"), { language: "yaml" });
  return { name, date: isoDate(data.date as Date), blob: String(data.blob), commit: String(data.commit), text: content };
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

describe("the project's own build", () => {
  let site: BuiltSite;
  before(async () => (site = await sharedBuild()));

  test("lists the versions from before the repository and the one in force, each read whole with its own words, and the feed has an entry for each, dated by it", async () => {
    const history = await site.document("privacy/history/index.html");
    const sections = [...history.querySelectorAll("section.version")];
    const dates = sections.map((section) => section.querySelector("h2 time")?.getAttribute("datetime"));
    const versions = files.map(earlier);
    const inForce = isoDate(readPolicy().data.updated!);
    // The one in force is the newest earlier text where its words have not changed since.
    assert.deepEqual(dates, [...new Set([inForce, ...versions.map((version) => version.date).reverse()])]);
    for (const version of versions) {
      const link = sections[dates.indexOf(version.date)]!.querySelector("a")!.getAttribute("href")!;
      const page = await site.document(`${link.slice(1)}index.html`);
      const [read] = pageVersions([{ text: version.text, commitDate: version.date }], { formNotice: "" });
      const content = normalText(page.querySelector("main")?.textContent);
      for (const block of read!.blocks) assert.ok(content.includes(block.text), `${link} lacks "${block.text}" of ${version.name}`);
    }
    assert.equal(sections.at(-1)!.querySelector(".changes"), null, "the oldest version shows no changes");
    const feed = await site.read("privacy/history/feed.atom");
    assert.deepEqual([...feed.matchAll(/<entry>[\s\S]*?<updated>(\d{4}-\d{2}-\d{2})T/g)].map(([, day]) => day), dates);
  });
});

test("an earlier text edited by mistake stops the build, naming its file and the line of its recorded blob id, and the output is unchanged", async () => {
  const project = await gitProject();
  const file = join(project.root, folder, files[0]!);
  await appendFile(file, "A sentence the portal never published.\n");
  const output = join(project.root, "public");
  await mkdir(output);
  await writeFile(join(output, "index.html"), "previous build");
  const errors = await build({ input: project.input, output }).then(() => assert.fail("the build succeeded"), sourceErrorsIn);
  const blobLine = (await readFile(file, "utf8")).split("\n").findIndex((line) => line.startsWith("blob:")) + 1;
  assert.deepEqual(
    errors.map((error) => [error.file, error.line]),
    [[file, blobLine]],
  );
  assert.match(errors[0]!.problem, /the text below the front matter is not the one published/);
  assert.match(errors[0]!.fix, /never edit an earlier version: put back that text exactly \(git show [0-9a-f]{40}:hugo\/content\/privacy\/_index\.md/);
  assert.equal(await readFile(join(output, "index.html"), "utf8"), "previous build");
});
