import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseFrontMatter } from "../lib/front-matter.ts";
import { SourceError } from "../lib/source-error.ts";

const file = "src/example.md";

/** The SourceError that parsing `source` throws. */
function failure(source: string): SourceError {
  try {
    parseFrontMatter(source, file);
  } catch (error) {
    assert.ok(error instanceof SourceError, `expected a SourceError, got ${String(error)}`);
    return error;
  }
  assert.fail("the front matter was accepted");
}

describe("front matter schema", () => {
  test("accepts the privacy page's keys and fills in the defaults", () => {
    const { data } = parseFrontMatter(
      "---\ntitle: Privacy policy\ndescription: About privacy.\nupdated: 2024-06-12\n---\nText",
      file,
    );
    assert.deepEqual(data, {
      title: "Privacy policy",
      description: "About privacy.",
      updated: new Date("2024-06-12T00:00:00Z"),
      lang: "en",
      layout: "base.njk",
    });
  });

  test("keeps a page's own lang and permalink", () => {
    const { data } = parseFrontMatter("---\ntitle: Om\nlang: sv\npermalink: /om/\n---\n", file);
    assert.equal(data.lang, "sv");
    assert.equal(data.permalink, "/om/");
  });

  test("hands on the body and the line it starts on", () => {
    const { body, bodyLine } = parseFrontMatter("---\ntitle: T\nlang: en\n---\nFirst line\n", file);
    assert.equal(body, "First line\n");
    assert.equal(bodyLine, 5);
  });

  test("a YAML syntax error names the file and line", () => {
    const error = failure("---\ntitle: Privacy policy\ndescription: [unclosed\nupdated: 2024-06-12\n---\n");
    assert.equal(error.file, file);
    assert.ok(error.line !== undefined && error.line >= 3, `line ${error.line}`);
    assert.match(error.message, /^src\/example\.md:\d+: the front matter is not valid YAML/);
    assert.match(error.fix, /key: value/);
  });

  test("a key written twice names both lines and which to remove", () => {
    const error = failure(
      "---\ntitle: Privacy policy\nupdated: 2024-06-12\ndescription: D\n'updated': 2025-01-31\n---\n",
    );
    assert.equal(error.line, 5);
    assert.equal(
      error.problem,
      '"updated" is in the front matter twice, on lines 3 and 5; a page has one of each key.',
    );
    assert.match(error.fix, /keep the "updated:" line with the value you mean, and remove the other/);
  });

  test("a value with a colon in it is to be quoted", () => {
    const error = failure('---\ntitle: Privacy policy: the "Service"\nupdated: 2024-06-12\n---\n');
    assert.equal(error.line, 2);
    assert.equal(error.problem, 'the value of "title" holds ": ", which YAML takes for the start of another key.');
    assert.equal(error.fix, 'put the value in quotes: title: "Privacy policy: the \\"Service\\"".');
    const quoted = error.fix.replace(/^put the value in quotes: /, "").replace(/\.$/, "");
    assert.equal(parseFrontMatter(`---\n${quoted}\n---\n`, file).data.title, 'Privacy policy: the "Service"');
  });

  test("a missing title says which line to add", () => {
    const error = failure("---\ndescription: Something\n---\n");
    assert.equal(error.line, 1);
    assert.match(error.problem, /has no "title"/);
    assert.match(error.fix, /title: Privacy policy/);
  });

  test("a page with no front matter at all lacks a title", () => {
    assert.match(failure("Just text\n").problem, /has no "title"/);
  });

  test("a title of the wrong type is refused on its line", () => {
    const error = failure("---\nupdated: 2024-06-12\ntitle: [a, b]\n---\n");
    assert.equal(error.line, 3);
    assert.match(error.problem, /"title" must be a non-empty text, but it is \[a, b\]/);
  });

  test("an empty title is refused", () => {
    assert.match(failure('---\ntitle: ""\n---\n').problem, /"title" must be a non-empty text/);
  });

  test("an unknown key is an error that suggests the key meant", () => {
    const error = failure("---\ntitle: Privacy policy\ntitel: Privacy\n---\n");
    assert.equal(error.line, 3);
    assert.match(error.problem, /unknown front matter key "titel"/);
    assert.match(error.fix, /did you mean "title"\?/);
    assert.match(error.fix, /title, description, updated, lang, layout, permalink, noindex/);
  });

  test("a date that does not exist is refused, though YAML would roll it over", () => {
    const error = failure("---\ntitle: Privacy policy\nupdated: 2025-02-30\n---\n");
    assert.equal(error.line, 3);
    assert.match(error.problem, /"updated" must be a real date written YYYY-MM-DD, but it is 2025-02-30/);
    assert.match(error.fix, /updated: 2024-06-12/);
  });

  test("a date in words is refused", () => {
    assert.match(failure("---\ntitle: T\nupdated: 5 March 2025\n---\n").problem, /"updated" must be a real date/);
  });

  test("a language that is not a language tag is refused", () => {
    assert.match(failure("---\ntitle: T\nlang: English\n---\n").problem, /"lang" must be a language tag/);
  });

  test("messages carry the file, the line and the fix together", () => {
    assert.equal(
      failure("---\ntitle: T\nupdated: 2025-13-01\n---\n").message,
      'src/example.md:3: "updated" must be a real date written YYYY-MM-DD, but it is 2025-13-01.\n    Fix: write it like "updated: 2024-06-12".',
    );
  });
});
