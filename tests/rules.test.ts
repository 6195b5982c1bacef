// Each check alone: the front matter's, the custom rules' (with
// markdownlint's own API, as the build calls it) and the site data's.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import markdownIt from "markdown-it";
import { lint } from "markdownlint/promise";
import { readFrontMatter } from "../lib/checks/front-matter.ts";
import { lintOptions } from "../lib/checks/markdown-rules.ts";
import { loadSite, siteProblems, type Site } from "../lib/site.ts";

const site = loadSite("src/_data/site.json");
const policy = readFileSync("src/privacy.md", "utf8");

describe("front matter", () => {
  const problems = (text: string) =>
    readFrontMatter(text, "p.md").problems.map(({ line, problem, fix }) => `${line}: ${problem} Fix: ${fix}`);
  test("the policy's passes, and a page with none lacks a title", () => {
    assert.deepEqual(problems(policy), []);
    assert.match(problems("Text.")[0]!, /^1: the front matter has no "title"/);
  });
  test("YAML's own mistakes on their lines, in words that say what happened", () => {
    assert.match(problems("---\ntitle: A\n\nText.")[0]!, /^1: .*never closed/);
    assert.match(
      problems("---\ntitle: A\nupdated: 2025-01-01\nupdated: 2025-02-01\n---\n")[0]!,
      /^4: "updated" is in the front matter twice, on lines 3 and 4/,
    );
    assert.match(
      problems("---\ntitle: Privacy: SciLifeLab\n---\n")[0]!,
      /^2: .*"title" holds ": ".*title: "Privacy: SciLifeLab"/,
    );
    assert.match(problems("---\ntitle: [A\n---\n")[0]!, /^\d: the front matter is not valid YAML/);
  });
  test("keys and types on their lines: an unknown key, a date that does not exist, a language, an empty title", () => {
    assert.deepEqual(
      problems("---\ntitle: A\ntitel: B\nupdated: 2025-02-30\nlang: English\nhistory: yes please\n---\n").map((p) =>
        p.slice(0, 30),
      ),
      [
        '3: unknown front matter key "t',
        '4: "updated" must be a real da',
        '5: "lang" must be a language t',
        '6: "history" must be true or f',
      ],
    );
    assert.match(problems('---\ntitle: ""\n---\n')[0]!, /^2: "title" must be a non-empty text/);
  });
});

describe("the custom rules", () => {
  const findings = async (body: string, name = "src/privacy.md") => {
    const text = `---\ntitle: T\n---\n\n${body}\n`;
    const results = await lint({
      strings: { [name]: text },
      ...lintOptions(site, "src"),
      markdownItFactory: () => markdownIt({ html: true }),
    });
    return results[name]!.map(({ lineNumber, ruleNames, errorDetail }) =>
      `${lineNumber} ${ruleNames[0]} ${errorDetail ?? ""}`.trim(),
    );
  };
  const form = '{% include "matomo-opt-out.njk" %}';
  test("links need words and an address, over https: where the host has it; images come from this site", async () => {
    const body = `${form}\n\n[](/contact) [mail](mailto:) [a](https://nbis.se/) [b](http://nbis.se/x) [c](http://other.org/)\n\n![A](https://example.org/a.png) ![B](/b.png) <img src="https://example.org/c.png" alt="C">`;
    assert.deepEqual(await findings(body), [
      "7 https-links http://nbis.se/x",
      "7 link-words /contact",
      "7 mailto-address mailto:",
      "9 same-origin-images https://example.org/a.png",
      "9 same-origin-images https://example.org/c.png",
    ]);
  });
  test("no scripts, however written; the opt-out form exactly once on its page, and anywhere elsewhere", async () => {
    const body = `${form}\n\n<a href="javascript:x">a</a> <a href="&#106;avascript:x">b</a>\n\n[c](vbscript:x) <span onclick="x">d</span>`;
    assert.deepEqual(
      (await findings(body)).filter((found) => found.includes("no-script")),
      ["7 no-script javascript:", "9 no-script vbscript:"],
    );
    assert.deepEqual(await findings(`${form}\n\n${form}`), ["7 opt-out-once 2 times"]);
    assert.deepEqual(await findings("Text.", "src/other.md"), []);
  });
});

describe("the site data", () => {
  const problems = (edit: (site: Site) => void) => {
    const copy = structuredClone(site);
    edit(copy);
    const text = JSON.stringify(copy, null, 2);
    return siteProblems(copy, text, "site.json").map(
      ({ line, problem }) => `${text.split("\n")[line! - 1]?.trim().slice(0, 12)} ${problem}`,
    );
  };
  test("the project's passes; what would break the page or Matomo's form is refused on its line", () => {
    assert.deepEqual(
      problems(() => {}),
      [],
    );
    assert.deepEqual(
      problems((copy) => {
        copy.matomo.origin = "https://matomo.example.org/path";
        copy.matomo.siteId = 0;
        copy.matomo.optOutDark.fontColor = "#fff";
        (copy.matomo.optOut as Record<string, string>).fontWeight = "bold";
        copy.headerNavigation.menuOrder.pop();
      }).map((found) => found.slice(0, 36)),
      [
        '"menuOrder": "headerNavigation.menuO',
        '"origin": "h "matomo.origin" must be',
        '"siteId": 0, "matomo.siteId" must be',
        '"fontWeight" "fontWeight" is no opti',
        '"fontColor": Matomo would show an er',
      ],
    );
  });
});
