// Which texts make a new version, their dates, how an earlier version is
// rendered, and what the changes show: on texts written here.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseHTML } from "linkedom";
import { changesBetween, changesHtml } from "../lib/history/changes.ts";
import { pageUrl } from "../lib/history/plugin.ts";
import { pageVersions, type PageText } from "../lib/history/versions.ts";

const formNotice = '<p class="form-was-here">The form was here.</p>';
const page = (front: string, body: string) => `---\n${front}\n---\n\n${body}\n`;
const versions = (texts: PageText[]) => pageVersions(texts, { formNotice });

const first = page(
  "title: Policy",
  '## Data\n\nWe keep your name and your address for a year.\n\n{% include "matomo-opt-out.njk" %}\n\n## Contact\n\nWrite to us.',
);

describe("the versions of a page", () => {
  test("a commit that changes only markup, attributes, white space or line wrapping is no new version", () => {
    const markupOnly = [
      page(
        "title: Policy",
        '### Data\n\nWe keep your **name** and your\naddress for a year.\n\n{% include "matomo-opt-out.njk" %}\n\n## Contact\n\n<span class="x">Write</span>   to us.',
      ),
      page(
        "title: Policy\nhistory: true",
        '## Data\n\nWe keep your <em title="a">name</em> and your address for a year.\n\n## Contact\n\nWrite to us.',
      ),
    ];
    const found = versions([
      { text: first, commit: "a", commitDate: "2024-01-10" },
      ...markupOnly.map((text, i) => ({ text, commit: `b${i}`, commitDate: "2024-02-01" })),
    ]);
    assert.equal(found.length, 1);
    assert.equal(found[0]!.date, "2024-01-10", "a markup commit moved the date of a version without updated");
    assert.equal(found[0]!.commit, "b1");
  });

  test("changed words, or a changed title, make a new version; its date is its updated, else its commit's", () => {
    const found = versions([
      { text: first, commit: "a", commitDate: "2024-01-10" },
      {
        text: first.replace("a year", "two years").replace("title: Policy", "title: Policy\nupdated: 2024-03-01"),
        commit: "b",
        commitDate: "2024-03-04",
      },
      {
        text: first
          .replace("a year", "two years")
          .replace("title: Policy", "title: Privacy policy\nupdated: 2024-06-12"),
      },
    ]);
    assert.deepEqual(
      found.map(({ date, commit, title }) => ({ date, commit, title })),
      [
        { date: "2024-01-10", commit: "a", title: "Policy" },
        { date: "2024-03-01", commit: "b", title: "Policy" },
        { date: "2024-06-12", commit: undefined, title: "Privacy policy" },
      ],
    );
  });

  test("a later commit that only corrects updated dates the version", () => {
    const changed = first.replace("a year", "two years");
    const found = versions([
      { text: first.replace("title: Policy", "title: Policy\nupdated: 2024-01-10"), commit: "a" },
      { text: changed.replace("title: Policy", "title: Policy\nupdated: 2024-01-10"), commit: "b" },
      { text: changed.replace("title: Policy", "title: Policy\nupdated: 2024-05-05"), commit: "c" },
    ]);
    assert.deepEqual(
      found.map((version) => version.date),
      ["2024-01-10", "2024-05-05"],
    );
  });

  test("two versions of one day get distinct names", () => {
    const found = versions([
      { text: first, commitDate: "2024-01-10" },
      { text: first.replace("a year", "a month"), commitDate: "2024-01-10" },
    ]);
    assert.deepEqual(
      found.map((version) => version.slug),
      ["2024-01-10", "2024-01-10-2"],
    );
  });

  test("an earlier version keeps its words, loses what today's rules refuse, shows where the form was, and skips no heading level", () => {
    const old = page(
      "title: Policy",
      [
        "### Overview",
        'Old words with <a href="/contact" target="_blank">a link</a>.',
        '<iframe id="matoOpOut" src="https://matomo.example/index.php?module=CoreAdminHome&action=optOut&language=en"></iframe>',
        "<script>alert(1)</script>",
        'A <img src="x" onerror="alert(1)"> picture and {{< shortcode >}} template code.',
        "#### Details",
        "More.",
      ].join("\n\n"),
    );
    const [version] = versions([{ text: old, commitDate: "2024-01-10" }]);
    const { document } = parseHTML(`<main>${version!.html}</main>`);
    assert.deepEqual(
      [...document.querySelectorAll("h2, h3, h4")].map((h) => `${h.tagName} ${h.textContent}`),
      ["H2 Overview", "H3 Details"],
    );
    assert.equal(document.querySelector("a")?.getAttribute("href"), "/contact");
    assert.equal(document.querySelectorAll("iframe, script, img").length, 0);
    assert.equal(document.querySelector(".form-was-here")?.textContent, "The form was here.");
    assert.doesNotMatch(version!.html, /shortcode|alert/);
    assert.deepEqual(
      version!.blocks.map((block) => block.text),
      ["Overview", "Old words with a link.", "A picture and template code.", "Details", "More."],
    );
  });
});

describe("what changed", () => {
  const older = [
    { heading: true, text: "Data" },
    { heading: false, text: "We keep your name and your address for a year." },
    { heading: false, text: "A paragraph that goes." },
  ];
  const newer = [
    { heading: true, text: "Data" },
    { heading: false, text: "We keep your name for two years." },
    { heading: true, text: "Cookies" },
    { heading: false, text: "We set none." },
  ];

  test("each changed paragraph whole, in its section, with the words added and removed", () => {
    const changes = changesBetween(older, newer);
    const shown = changes.map(({ section, heading, parts }) => ({
      section,
      heading,
      added: parts.filter((part) => part.added).map((part) => part.value.trim()),
      removed: parts.filter((part) => part.removed).map((part) => part.value.trim()),
    }));
    assert.deepEqual(shown, [
      { section: "Data", heading: false, added: ["two years"], removed: ["and your address", "a year"] },
      { section: "Data", heading: false, added: [], removed: ["A paragraph that goes."] },
      { section: undefined, heading: true, added: ["Cookies"], removed: [] },
      { section: "Cookies", heading: false, added: ["We set none."], removed: [] },
    ]);
    assert.deepEqual(changesBetween(older, older), []);
  });

  test("as HTML: <ins> and <del>, each announced to screen readers, the text escaped", () => {
    const { document } = parseHTML(
      `<div>${changesHtml(changesBetween([{ heading: false, text: "Old <b> words" }], [{ heading: false, text: "Old <b> words, and new" }]))}</div>`,
    );
    const item = document.querySelector("ol.changes > li")!;
    assert.equal(item.querySelector(".change-where")?.textContent, "Before the first section:");
    assert.equal(item.querySelector("ins")?.textContent, "[added: , and new]");
    assert.equal(item.querySelector("ins .visually-hidden")?.textContent, "[added: ");
    assert.equal(item.querySelectorAll("b").length, 0);
    assert.match(item.querySelector(".change-text")!.textContent!, /^Old <b> words/);
  });
});

test("a page's URL, as Eleventy gives it", () => {
  assert.equal(pageUrl("src", "src/privacy.md"), "/privacy/");
  assert.equal(pageUrl("src", "src/about/index.md"), "/about/");
  assert.equal(pageUrl("src", "src/index.md"), "/");
  assert.equal(pageUrl("src", "src/x.md", "/terms/"), "/terms/");
  assert.equal(pageUrl("src", "src/x.md", "/terms.html"), "/terms/");
});
