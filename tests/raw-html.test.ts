import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { rawHtmlProblems } from "../lib/raw-html.ts";
import type { SourceError } from "../lib/source-error.ts";

const file = "src/privacy.md";

function refusal(markdown: string, firstLine = 1): SourceError {
  const [problem] = rawHtmlProblems(markdown, file, firstLine);
  return problem ?? assert.fail("accepted");
}

describe("raw HTML in page content", () => {
  test("the policy's own raw link and ordinary Markdown pass", () => {
    assert.deepEqual(
      rawHtmlProblems(
        'Text with **bold**, [a link](https://example.org) and <a href="/contact">contact us</a>.\n\n<div class="x">\nblock\n</div>\n\n`<script>` in code is text.\n\n    <iframe> in an indented code block too\n',
        file,
      ),
      [],
    );
  });

  const cases: [string, string, RegExp, RegExp][] = [
    ["a script block", "<script>alert(1)</script>", /<script> is not allowed/, /no scripts of its own/],
    ["an inline script", "Text <script src=x></script> more", /<script> is not allowed/, /no scripts/],
    ["a style block", "<style>p{}</style>", /<style> is not allowed/, /style\.css/],
    [
      "a raw iframe",
      '<iframe src="https://matomo.dc.scilifelab.se/"></iframe>',
      /<iframe> is not allowed/,
      /matomo-opt-out\.njk/,
    ],
    ["an object", '<object data="x.swf"></object>', /<object> is not allowed/, /link to the file/],
    ["an embed", '<embed src="x.swf">', /<embed> is not allowed/, /link to the file/],
    ["a form", '<form action="/x"><input></form>', /<form> is not allowed/, /link to a page/],
    ["an event handler", '<img src="x.png" onerror="alert(1)">', /onerror= is not allowed/, /remove it/],
    ["an event handler inline", 'Click <a href="/a" onclick="x()">here</a>', /onclick= is not allowed/, /remove it/],
    ["a javascript: raw link", '<a href="javascript:alert(1)">x</a>', /a javascript: URL/, /https: page/],
    [
      "a disguised javascript: link",
      '<a href="jav&#x61;script&colon;alert(1)">x</a>',
      /a javascript: URL/,
      /https: page/,
    ],
    ["a javascript: Markdown link", "[x](javascript:alert(1))", /a javascript: URL/, /https: page/],
    ["a data: image", "![x](data:image/png;base64,AAAA)", /a data: URL/, /https: page/],
    ["a data: raw link", "<a href='data:text/html,hi'>x</a>", /a data: URL/, /https: page/],
  ];
  for (const [name, markdown, problem, fix] of cases) {
    test(`refuses ${name}`, () => {
      const error = refusal(markdown);
      assert.match(error.problem, problem);
      assert.match(error.fix, fix);
    });
  }

  test("a character reference no character has is text, not a crash", () => {
    assert.deepEqual(rawHtmlProblems("Odd text &#99999999; and &#x110000; here.\n", file), []);
  });

  test("names the file line, counting from where the body starts", () => {
    const error = refusal(
      "Intro.\n\nA paragraph\nover lines with <b onclick=x>bold</b>\n\n<div>\nfine\n<script></script>\n</div>\n",
      5,
    );
    assert.equal(error.line, 8);
    assert.equal(error.file, file);
    const second = refusal("Intro.\n\n<div>\nfine\n<script></script>\n</div>\n", 5);
    assert.equal(second.line, 9);
  });

  test("names every piece refused, each on its line", () => {
    const problems = rawHtmlProblems(
      "<style>p{}</style>\n\nText.\n\n[x](javascript:alert(1)) and <b onclick=x>y</b>\n",
      file,
    );
    assert.deepEqual(
      problems.map((problem) => problem.line),
      [1, 5, 5],
    );
    assert.match(problems[0]!.problem, /<style>/);
    assert.deepEqual(
      problems
        .slice(1)
        .map((problem) => /javascript:|onclick=/.exec(problem.problem)?.[0])
        .sort(),
      ["javascript:", "onclick="],
    );
  });
});
