// The policy's history, built from a temporary git repository with versions
// written in tests/helpers/history.ts: the history page, each earlier
// version, the feed and the date guard.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { HtmlValidate } from "html-validate";
import { parseHTML } from "linkedom";
import { edit, first, historyProject, markupOnly, reworded, text } from "./helpers/history.ts";
import type { Project } from "./helpers/project.ts";

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

  // An older "updated" is refused by the same guard: versions.test.ts.
  test("the date guard: new words under the same updated stop the build on updated's line", async () => {
    project.commit("2024-06-20");
    project.write("src/privacy.md", edit.replace("We set none.", "We set one."));
    const run = await project.npm("build");
    assert.equal(run.code, 1);
    const line = edit.split("\n").findIndex((l) => l.startsWith("updated:")) + 1;
    const refused = `^src/privacy\\.md:${line}: the text changed since the version of 12 June 2024, but "updated" did not`;
    assert.match(run.stderr, new RegExp(refused, "m"));
  });
});
