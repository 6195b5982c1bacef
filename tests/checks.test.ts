// What the build refuses in a maintainer's edit: each mistake stops
// `npm run build` on its file's line with a fix, no stack trace and public/
// as it was; one run lists every mistake; `npm run lint` agrees. Then the
// front matter, the custom rules and the site data, each alone.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import markdownIt from "markdown-it";
import { lint } from "markdownlint/promise";
import { readFrontMatter } from "../lib/checks/front-matter.ts";
import { lintOptions } from "../lib/checks/markdown-rules.ts";
import { loadSite, siteProblems, type Site } from "../lib/site.ts";
import { copyProject, type Project } from "./helpers/project.ts";

const site = loadSite("src/_data/site.json");
const policy = readFileSync("src/privacy.md", "utf8");
const lines = policy.split("\n");
/** The line after the policy's first section heading, where each edit below goes in (from 1). */
const at = lines.findIndex((line) => line.startsWith("## ")) + 2;
/** The policy with `added` after its first section heading, and a later "updated". */
const edited = (added: string, text = policy) =>
  [...text.split("\n").slice(0, at - 1), "", added, ...text.split("\n").slice(at - 1)]
    .join("\n")
    .replace(/^updated: .*$/m, "updated: 2099-01-01");

/** Builds `project` once more, expecting it to fail: its stderr, with public/ as it was. */
const snapshot = (project: Project) =>
  readdirSync(join(project.root, "public"), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => [entry.name, readFileSync(join(entry.parentPath, entry.name))]);

async function refused(project: Project): Promise<string> {
  const before = snapshot(project);
  const run = await project.npm("build");
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.doesNotMatch(run.stderr, /^\s+at /m, "a stack trace");
  assert.match(run.stderr, /^Build failed; public\/ is unchanged\.$/m);
  assert.deepEqual(snapshot(project), before, "public/ changed");
  assert.deepEqual(
    readdirSync(project.root).filter((name) => name.startsWith(".public-")),
    [],
    "a staging folder is left",
  );
  return run.stderr;
}

describe("npm run build refuses", () => {
  const project = copyProject({ git: true });
  test("(the sources as they are build)", async () => assert.equal((await project.npm("build")).code, 0));

  // Each mistake, and the line (after `at`) where it is: the message names that line or the next.
  const mistakes: [string, string, number][] = [
    ["a heading that skips a level", "#### Too deep", 2],
    ["a dead #fragment", "See [the log](#no-such-heading).", 2],
    ["a link with no words", "See [](/contact).", 2],
    ["an image without alt text", "![](/assets/img/LICENSE.txt)", 2],
    ["a raw <script>", "<script>alert(1)</script>", 2],
    ["an image from another site", "![A cat](https://example.org/cat.png)", 2],
    ["a javascript: link", '<a href="javascript:alert(1)">Run</a>', 2],
    ["a {{ never closed", "Braces {{ here\n\nand more words.", 2],
    ["a {% if %} never closed", "{% if true %}\n\nThe rest.", 2],
  ];
  for (const [name, mistake, offset] of mistakes) {
    test(name, async () => {
      project.write("src/privacy.md", edited(mistake));
      const stderr = await refused(project);
      const line = Number(/^src\/privacy\.md:(\d+): /m.exec(stderr)?.[1]);
      assert.ok([at + offset - 1, at + offset].includes(line), `line ${line}, not ${at + offset - 1}: ${stderr}`);
      assert.match(stderr, /^ {4}Fix: \S/m);
    });
  }

  test("the opt-out include removed", async () => {
    project.write("src/privacy.md", edited("").replace(/^\{% include "matomo-opt-out\.njk" %\}$/m, ""));
    assert.match(await refused(project), /^src\/privacy\.md:\d+: .*opt-out form exactly once \[0 times\]/m);
  });

  test("three Markdown mistakes and new words under the same updated: all four, in file order, as npm run lint says", async () => {
    const three = edited("#### Too deep\n\nSee [](/contact) and [the log](#nowhere), words.").replace(
      /^updated: .*$/m,
      /^updated: .*$/m.exec(policy)![0],
    );
    project.write("src/privacy.md", three);
    const stderr = await refused(project);
    const found = [...stderr.matchAll(/^src\/privacy\.md:(\d+): (.*)$/gm)];
    assert.equal(found.length, 4, stderr);
    assert.deepEqual(
      found.map(([, line]) => Number(line)),
      found.map(([, line]) => Number(line)).sort((a, b) => a - b),
    );
    assert.match(found[0]![2]!, /"updated" did not/);
    const lint = await project.npm("lint");
    assert.equal(lint.code, 1);
    const lintLines = lint.stderr.split("\n").filter((line) => line.startsWith("src/"));
    assert.deepEqual(
      lintLines,
      found.slice(1).map(([line]) => line),
    );
  });

  test("a page saved as Latin-1, on the line of its first bad byte; one saved as UTF-16, on line 1", async () => {
    project.write("src/privacy.md", Buffer.from(edited("Malmö"), "latin1"));
    assert.match(await refused(project), new RegExp(`^src/privacy\\.md:${at + 1}: the file is not UTF-8`, "m"));
    project.write("src/privacy.md", Buffer.from(`\ufeff${policy}`, "utf16le"));
    assert.match(await refused(project), /^src\/privacy\.md:1: the file is not UTF-8/m);
  });

  test("a filter or a template that does not exist, on the line that names it; a broken stylesheet, by name", async () => {
    project.write("src/privacy.md", edited("{{ title | shout }}"));
    assert.match(
      await refused(project),
      new RegExp(`^src/privacy\\.md:${at + 1}: Nunjucks .*filter not found: shout`, "m"),
    );
    project.write("src/privacy.md", edited('{% include "nope.njk" %}'));
    assert.match(
      await refused(project),
      new RegExp(`^src/privacy\\.md:${at + 1}: .*template not found: nope\\.njk\\.\\n.*matomo-opt-out\\.njk`, "m"),
    );
    project.write("src/privacy.md", policy);
    project.write("src/assets/style.css", `${readFileSync("src/assets/style.css", "utf8")}\na { color: red`);
    assert.match(await refused(project), /^src\/assets\/style\.css: the stylesheet has a mistake/m);
  });

  test("a page with a UTF-8 byte-order mark and CRLF line endings builds, its letters intact", async () => {
    project.write("src/assets/style.css", readFileSync("src/assets/style.css"));
    project.write("src/privacy.md", `\ufeff${edited("Malmö och Umeå.").replace(/\n/g, "\r\n")}`);
    assert.equal((await project.npm("build")).code, 0);
    assert.match(project.read("public/privacy/index.html"), /Malmö och Umeå\./);
  });
});

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
