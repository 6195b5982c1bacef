import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { templateProblems } from "../lib/template-syntax.ts";

test("a filter or template the page names must exist: Nunjucks' own, the build's, or a file where Eleventy looks", () => {
  const folder = mkdtempSync(join(tmpdir(), "privacy-templates-"));
  writeFileSync(join(folder, "beside.njk"), "");
  const names = { hasFilter: (name: string) => name === "readableDate", includes: "_includes" };
  const problems = (body: string) =>
    templateProblems(body, join(folder, "page.md"), 5, names).map((problem) => [problem.line, problem.problem]);
  const fine = [
    "{{ title | upper | readableDate }}",
    '{% include "matomo-opt-out.njk" %}',
    '{% include "./beside.njk" %}',
    "{% set name = 'x.njk' %}{% include name %}",
  ];
  assert.deepEqual(problems(fine.join("\n")), []);
  assert.deepEqual(problems(["Text", "{{ title | shout }}", '{% include "./gone.njk" %}'].join("\n")), [
    [6, '"shout" is no filter: neither Nunjucks nor this build has one of that name.'],
    [7, `the template "./gone.njk" does not exist: ${folder} has no file of that name.`],
  ]);
});
