import assert from "node:assert/strict";
import { test } from "node:test";
import { headingProblems, linkProblem } from "../lib/content-checks.ts";

test("a link into the folder of a page the build makes must lead to a page; other paths are the portal's", () => {
  const site = { origin: "https://genomes.scilifelab.se", built: new Set(["/", "/privacy/", "/a/b/", "/404.html"]) };
  const problemOf = (href: string) =>
    linkProblem({ href, line: 3 }, "/privacy/", site, () => undefined, "src/privacy.md")?.message;
  for (const href of ["/privacy/old/", "/privacy/old", "/a/b/c/d", "https://genomes.scilifelab.se/privacy/x/"])
    assert.match(problemOf(href) ?? "", /leads nowhere: this build makes no page at that address/, href);
  // The portal's own pages, the build's pages with or without their slash, and names that only begin like a page's.
  for (const href of [
    "/contact",
    "/a/",
    "/a/c",
    "/privacy",
    "/privacy-2/",
    "/404.html/x",
    "https://example.org/privacy/x/",
  ])
    assert.equal(problemOf(href), undefined, href);
});

test("a heading that skips a level gets the level it should have", () => {
  const fixes = (levels: number[]) =>
    headingProblems(
      levels.map((level, i) => ({ level, line: i + 1 })),
      "src/privacy.md",
    ).map((problem) => [problem.line, problem.fix]);
  assert.deepEqual(fixes([2, 3, 2, 4]), [
    [4, "write it with ### (one level below the heading before it), or ## for a new section."],
  ]);
  assert.deepEqual(fixes([3]), [[1, "write it with ##: the page's sections start at ##, under its title."]]);
  assert.deepEqual(fixes([2, 3, 4, 2]), []);
});
