// Bad front matter or raw HTML stops the build with clear messages and loses nothing: each
// mistake alone, every mistake of a build in one run, and a page that fails while others render.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { build } from "../lib/build.ts";
import { npmScriptArguments } from "../lib/npm-scripts.ts";
import { sourceErrorsIn } from "../lib/source-error.ts";
import { gitProject } from "../scripts/harness/project.ts";
import { withoutTimingNotices } from "./helpers/build.ts";
import { eventually } from "./helpers/eventually.ts";

/** A copy of the project with `page` as its policy, the 404 page beside it, and an output folder holding a previous build. */
async function project(page: string) {
  const root = await mkdtemp(join(tmpdir(), "privacy-bad-"));
  const input = join(root, "src");
  const output = join(root, "public");
  await cp("src/_data", join(input, "_data"), { recursive: true });
  await cp("src/assets", join(input, "assets"), { recursive: true });
  await cp("src/404.md", join(input, "404.md"));
  await cp("_includes", join(root, "_includes"), { recursive: true });
  await mkdir(output);
  await writeFile(join(input, "privacy.md"), page);
  await writeFile(join(output, "index.html"), "previous build");
  return { root, input, output, page: join(input, "privacy.md") };
}

/** Builds `input` into `output`, which must fail with one SourceError; returns it. */
async function failedBuild(input: string, output: string) {
  const errors = await build({ input, output }).then(() => assert.fail("the build succeeded"), sourceErrorsIn);
  assert.equal(errors.length, 1, errors.map((error) => error.message).join("\n") || "no SourceError in the failure");
  assert.equal(await readFile(join(output, "index.html"), "utf8"), "previous build", "the previous output changed");
  return errors[0]!;
}

const optOutForm = '{% include "matomo-opt-out.njk" %}';
/** A policy page that passes every check, to make one mistake in. */
const goodPage = [
  "---",
  "title: Privacy policy",
  "updated: 2024-06-12",
  "---",
  "",
  "## Log data",
  "",
  "What we log.",
  "",
  optOutForm,
  "",
  "## Contact",
  "",
  "Write to us.",
  "",
].join("\n");
/** `goodPage` with the line holding `find` replaced by `replace` (several lines for an array). */
const edited = (find: string, replace: string | string[]) => {
  const lines = goodPage.split("\n");
  lines.splice(lines.indexOf(find), 1, ...[replace].flat());
  return lines.join("\n");
};

const cases = [
  {
    name: "a YAML syntax error",
    page: "---\ntitle: Privacy policy\nupdated: [2025\n---\nText\n",
    message: /:\d+: the front matter is not valid YAML/,
  },
  {
    name: "a missing title",
    page: "---\nupdated: 2024-06-12\n---\nText\n",
    message: /:1: the front matter has no "title"/,
  },
  {
    name: "a title of the wrong type",
    page: "---\ntitle: 12\n---\nText\n",
    message: /:2: "title" must be a non-empty text, but it is 12/,
  },
  {
    name: "an unknown key",
    page: "---\ntitel: Privacy policy\n---\nText\n",
    message: /:2: unknown front matter key "titel"/,
  },
  {
    name: "a bad date",
    page: "---\ntitle: Privacy policy\nupdated: 2025-02-30\n---\nText\n",
    message: /:3: "updated" must be a real date/,
  },
  {
    name: "a raw script",
    page: edited("What we log.", ["What we log.", "", "<script>alert(1)</script>"]),
    message: /:10: raw HTML <script> is not allowed/,
  },
  {
    name: "a front matter never closed",
    page: goodPage.replace("updated: 2024-06-12\n---\n", "updated: 2024-06-12\n"),
    message:
      /:1: the front matter that starts on line 1 is never closed: the closing "---" line is missing\.\n    Fix: add a line with only "---"/,
  },
  {
    name: "the policy without its opt-out form",
    page: edited(optOutForm, ""),
    message: /:1: this page has no Matomo opt-out form, but .*site\.json names it as the page that carries it/,
  },
  {
    name: "the opt-out form twice",
    page: edited("## Contact", [optOutForm, "", "## Contact"]),
    message: /:12: the Matomo opt-out form is on this page 2 times; visitors need it once/,
  },
  {
    name: "a link to a section that does not exist",
    page: edited("Write to us.", "See [the log data section](#no-such-heading)."),
    message:
      /:14: the link to "#no-such-heading" leads nowhere: \/privacy\/ has no heading or element with the id "no-such-heading"\.\n    Fix: link to one of its sections, #log-data, #contact,/,
  },
  {
    name: "a link to a section of another page of the build that does not exist",
    page: edited("Write to us.", 'See <a href="/404.html#log-data">the log</a>.'),
    message:
      /:14: the link to "\/404\.html#log-data" leads nowhere: \/404\.html has no heading or element with the id "log-data"/,
  },
  {
    name: "a link to a page of this build that does not exist",
    page: edited("Write to us.", "See [the old versions](/privacy/history/)."),
    message: /:14: the link to "\/privacy\/history\/" leads nowhere: this build makes no page at that address/,
  },
  {
    name: "a heading that skips a level",
    page: edited("## Contact", "#### Contact"),
    message: /:12: the heading skips a level: <h4> after <h2>.*\n    Fix: write it with ###/,
  },
  {
    name: "a second h1",
    page: edited("## Contact", "# Contact"),
    message: /:12: a second <h1>: the page's title, from the front matter, is its one <h1>/,
  },
  {
    name: "a javascript: link",
    page: edited("Write to us.", "[Opt out](javascript:void(0))"),
    message: /:14: a javascript: URL is not allowed/,
  },
  {
    name: "a template variable never closed",
    page: edited("Write to us.", "Prices in {{ currency are shown."),
    message:
      /:14: "\{\{" starts a template variable here that is not closed with "\}\}"\.\n    Fix: to show the braces as text, wrap them in \{% raw %\}…\{% endraw %\}/,
  },
  {
    name: "a template tag opened and never closed",
    page: edited("What we log.", ["Shown {% if true %} only", "sometimes."]),
    message:
      /:8: "\{% if %\}" is opened here and never closed with \{% endif %\}.*\n    Fix: close it with \{% endif %\} where it should end, or to show the braces as text/,
  },
  {
    name: "a template tag with no name",
    page: edited("Write to us.", "We keep 100 {%."),
    message: /:14: "\{%" starts a template tag here, but no tag name follows it\.\n    Fix: .*\{% raw %\}/,
  },
  {
    name: "a template comment never closed",
    page: edited("What we log.", "What we log {# for now."),
    message: /:8: "\{#" starts a template comment that is never closed with "#\}"/,
  },
  {
    name: "an end tag that closes nothing",
    page: edited("Write to us.", "Write to us. {% endif %}"),
    message: /:14: "\{% endif %\}" closes nothing: no \{% if %\} is open here/,
  },
  {
    name: "an include of a template that does not exist",
    page: edited(optOutForm, '{% include "matomo-optout.njk" %}'),
    message:
      /:10: the template "matomo-optout\.njk" does not exist: \S*_includes\/? has no file of that name\.\n    Fix: name a template of .*"matomo-opt-out\.njk"/,
  },
  {
    name: "a filter that does not exist",
    page: edited("Write to us.", "Write to {{ title | shout }}."),
    message: /:14: "shout" is no filter: neither Nunjucks nor this build has one of that name\./,
  },
  {
    name: "a link with no words",
    page: edited("Write to us.", "See [](https://example.org/) for details."),
    message:
      /:14: the link to "https:\/\/example\.org\/" has no words.*\n    Fix: write the words a reader should see between the brackets/,
  },
  {
    name: "a raw link with no words",
    page: edited("Write to us.", '<a href="https://example.org/"> </a>'),
    message: /:14: the link to "https:\/\/example\.org\/" has no words/,
  },
  {
    name: "an image from another site",
    page: edited("Write to us.", "![Partner logo](https://tracker.example/p.gif)"),
    message:
      /:14: the image "https:\/\/tracker\.example\/p\.gif" comes from tracker\.example: the page's security policy lets images come only from this site.*\n    Fix: link to it instead, \[Partner logo\]\(https:\/\/tracker\.example\/p\.gif\)/,
  },
  {
    name: "an image without alt text",
    page: edited("Write to us.", "![](/assets/map.png)"),
    message:
      /:14: the image "\/assets\/map\.png" has no alt text.*\n    Fix: describe what it shows between the brackets/,
  },
  {
    name: "a raw image without an alt attribute",
    page: edited("Write to us.", '<img src="/assets/map.png" width="10" height="10">'),
    message:
      /:14: the image "\/assets\/map\.png" has no alt text.*\n    Fix: add alt="what it shows", or alt="" to an image that only decorates/,
  },
  {
    name: "a mailto: link with no address",
    page: edited("Write to us.", "[Write to us](mailto:?subject=Privacy)."),
    message: /:14: the link "mailto:\?subject=Privacy" has no e-mail address/,
  },
  {
    name: "an http: link to the site itself",
    page: edited("Write to us.", "See [the portal](http://genomes.scilifelab.se/about)."),
    message:
      /:14: the link to "http:\/\/genomes\.scilifelab\.se\/about" goes over plain http:, but genomes\.scilifelab\.se is served over https:.*\n    Fix: write it with https:, as https:\/\/genomes\.scilifelab\.se\/about/,
  },
  {
    name: "an http: link to a host the page links over https:",
    page: edited("Write to us.", "See [this](http://example.org/a) and [that](https://example.org/b)."),
    message:
      /:14: the link to "http:\/\/example\.org\/a" goes over plain http:, but example\.org is served over https:/,
  },
  {
    name: "a heading with no words",
    page: edited("## Contact", "##"),
    message: /:12: the heading has no words.*\n    Fix: write its words after "## ", or remove the line/,
  },
  {
    name: "a link whose address cannot be decoded",
    page: edited("Write to us.", 'See <a href="#100%">the whole text</a>.'),
    message:
      /:14: the link to "#100%" is malformed: a browser cannot follow it to its place\.\n    Fix: write a "%" in an address as %25/,
  },
];

describe("a build with bad page sources", () => {
  for (const { name, page, message } of cases) {
    test(`fails on ${name}, naming the file, and keeps the previous output`, async () => {
      const { input, output, page: file } = await project(page);
      const error = await failedBuild(input, output);
      assert.equal(error.file, file);
      assert.match(error.message, message);
    });
  }

  test("fails on site data Matomo would reject, naming the file and line, and keeps the previous output", async () => {
    const { input, output } = await project(goodPage);
    const data = join(input, "_data", "site.json");
    const text = await readFile(data, "utf8");
    await writeFile(data, text.replace('"siteId": 11', '"siteId": 0'));
    const error = await failedBuild(input, output);
    assert.equal(error.file, data);
    assert.equal(error.line, text.split("\n").findIndex((line) => line.includes('"siteId"')) + 1);
    assert.match(error.problem, /positive whole number/);
  });

  test("fails on a broken stylesheet, naming it, and keeps the previous output", async () => {
    const { input, output } = await project(goodPage);
    await writeFile(join(input, "assets", "style.css"), "body { color: red; }\n}}} a {");
    const error = await failedBuild(input, output);
    assert.equal(error.file, join(input, "assets", "style.css"));
    assert.match(error.problem, /the stylesheet has an error/);
  });

  test("fails on a page saved as Latin-1, on the line of the first bad byte, and keeps the previous output", async () => {
    const { input, output, page } = await project("");
    await writeFile(page, Buffer.from("---\ntitle: Integritetspolicy\n---\n\nLäs mer om portalen.\n", "latin1"));
    const error = await failedBuild(input, output);
    assert.equal(error.file, page);
    assert.match(error.message, /:5: not UTF-8: byte 0xE4 at column 2 /);
  });

  test("fails on a page saved as UTF-16, and keeps the previous output", async () => {
    const { input, output, page } = await project("");
    await writeFile(
      page,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("---\ntitle: Privacy policy\n---\nText\n", "utf16le")]),
    );
    const error = await failedBuild(input, output);
    assert.equal(error.file, page);
    assert.match(error.message, /:1: not UTF-8: the file is saved as UTF-16/);
  });

  for (const { name, file, edit, line } of [
    {
      name: "site data",
      file: join("_data", "site.json"),
      edit: (text: string) => text.replace('"name": "Swedish', '"name": "Portal för referensgenom, Swedish'),
      line: 2,
    },
    {
      name: "a stylesheet",
      file: join("assets", "style.css"),
      edit: (text: string) => `/* Färger */\n${text}`,
      line: 1,
    },
  ]) {
    test(`fails on ${name} saved as Latin-1, on its line, and keeps the previous output`, async () => {
      const { input, output } = await project(goodPage);
      const path = join(input, file);
      await writeFile(path, Buffer.from(edit(await readFile(path, "utf8")), "latin1"));
      const error = await failedBuild(input, output);
      assert.equal(error.file, path);
      assert.equal(error.line, line);
      assert.match(error.problem, /^not UTF-8: byte 0x(E4|F6) /);
    });
  }

  test("builds a page with a UTF-8 byte-order mark and CRLF line endings, Swedish letters intact", async () => {
    const { input, output, page } = await project("");
    await writeFile(
      page,
      `\uFEFF---\r\ntitle: Integritet\r\nupdated: 2024-06-12\r\n---\r\n\r\nLäs om åtgärder för öppenhet.\r\n\r\n${optOutForm}\r\n`,
    );
    await build({ input, output });
    const html = await readFile(join(output, "privacy", "index.html"), "utf8");
    assert.match(html, /<h1[^>]*>Integritet<\/h1>/);
    assert.match(html, /Läs om åtgärder för öppenhet\./);
    assert.match(html, /<time datetime="2024-06-12">/);
    assert.doesNotMatch(html, /\uFFFD|\uFEFF/);
  });

  test("`npm run build` prints the one message with its fix, no stack trace, and exits non-zero", async () => {
    const { input, output, page } = await project(cases[3]!.page);
    const run = spawnSync(process.execPath, [...npmScriptArguments("build"), "--input", input, "--output", output], {
      encoding: "utf8",
      env: { ...process.env, DEBUG: "" },
    });
    assert.equal(run.status, 1);
    assert.equal(
      withoutTimingNotices(run.stderr),
      `Build failed; ${output}/ is unchanged.\n${page}:2: unknown front matter key "titel".\n` +
        `    Fix: did you mean "title"? The keys a page may have are: title, description, updated, lang, layout, permalink, noindex, history.\n`,
    );
    assert.doesNotMatch(run.stderr + run.stdout, /\n\s+at /);
    assert.equal(await readFile(join(output, "index.html"), "utf8"), "previous build");
  });

  test("`npm run build` lists every mistake of a build in one run, in the order of the file, each with its line and fix, and exits 1 with the output unchanged", async () => {
    // A committed policy, then an edit that changes its words but not "updated", skips a heading level and links to a missing section.
    const project = await gitProject([
      { text: goodPage.replace("updated: 2024-06-12", "updated: 2024-06-12\nhistory: true"), day: "2024-06-12" },
    ]);
    const mistaken = goodPage
      .replace("updated: 2024-06-12", "updated: 2024-06-12\nhistory: true")
      .replace("## Contact", "#### Contact")
      .replace("Write to us.", "Write to us, or read [the cookies section](#cookies).");
    await writeFile(project.policy, mistaken);
    const output = join(project.root, "public");
    await mkdir(output);
    await writeFile(join(output, "index.html"), "previous build");
    const lineOf = (start: string) => mistaken.split("\n").findIndex((line) => line.startsWith(start)) + 1;

    const run = spawnSync(
      process.execPath,
      [...npmScriptArguments("build"), "--input", project.input, "--output", output],
      { encoding: "utf8", env: { ...process.env, DEBUG: "" } },
    );
    assert.equal(run.status, 1, run.stderr);
    const [first, ...mistakes] = run.stderr.trimEnd().split(/\n(?! )/);
    assert.equal(first, `Build failed; ${output}/ is unchanged.`);
    assert.deepEqual(
      mistakes.map(
        (mistake) =>
          /^(.*?:\d+): (.*?)\n    Fix: ./s
            .exec(mistake)
            ?.slice(1, 3)
            .join(": ")
            .replace(/:(?= )/, "")
            .split(",")[0],
      ),
      [
        `${project.policy}:${lineOf("updated:")} the text changed since the version of 12 June 2024`,
        `${project.policy}:${lineOf("#### Contact")} the heading skips a level: <h4> after <h2>`,
        `${project.policy}:${lineOf("Write to us")} the link to "#cookies" leads nowhere: /privacy/ has no heading or element with the id "cookies".`,
      ],
    );
    assert.equal(await readFile(join(output, "index.html"), "utf8"), "previous build");
    assert.deepEqual(
      await readdir(project.root).then((names) => names.filter((name) => name.startsWith("."))),
      [".git"],
      "a failed build left a folder behind",
    );
  });

  test("`npm run build` reports the template slip, the link with no words and the image from another site of one edit together, each on the file's own line, without a stack trace", async () => {
    const slips = {
      template: "Prices in {{ currency are shown.",
      emptyLink: "See [](https://example.org/) for details.",
      foreignImage: "![Partner logo](https://tracker.example/p.gif)",
    };
    const { input, output, page } = await project(
      edited("Write to us.", ["Write to us.", "", slips.template, "", slips.emptyLink, "", slips.foreignImage]),
    );
    const run = spawnSync(process.execPath, [...npmScriptArguments("build"), "--input", input, "--output", output], {
      encoding: "utf8",
      env: { ...process.env, DEBUG: "" },
    });
    assert.equal(run.status, 1, run.stderr);
    const lines = (await readFile(page, "utf8")).split("\n");
    const reported = [...run.stderr.matchAll(/^(.*?):(\d+): /gm)].map(([, file, line]) => [file, Number(line)]);
    assert.deepEqual(
      reported,
      Object.values(slips).map((slip) => [page, lines.indexOf(slip) + 1]),
    );
    assert.match(run.stderr, /\{% raw %\}/);
    assert.doesNotMatch(run.stderr + run.stdout, /\n\s+at |TemplateContentRenderError|lineno/);
    assert.equal(await readFile(join(output, "index.html"), "utf8"), "previous build");
  });

  test("a build killed halfway (SIGKILL) leaves its folder, which the next build removes, while the folder of a build still running stays", async () => {
    const { root, input, output } = await project(goodPage);
    const leftovers = async () => (await readdir(root)).filter((name) => name.startsWith(".public-build-"));
    const startBuild = () => {
      const child = spawn(process.execPath, [...npmScriptArguments("build"), "--input", input, "--output", output], {
        stdio: "ignore",
      });
      return { child, exited: once(child, "exit") };
    };

    const killed = startBuild();
    await eventually(async () => (await leftovers()).length === 1, "the build has made its folder", 30);
    killed.child.kill("SIGKILL");
    await killed.exited;
    const [killedFolder] = await leftovers();
    assert.match(killedFolder!, new RegExp(`^\\.public-build-${killed.child.pid}-`));

    // The next build removes it as it starts; paused (SIGSTOP) once it has made its own folder, it is still running while another builds.
    const paused = startBuild();
    try {
      const pausedPrefix = `.public-build-${paused.child.pid}-`;
      await eventually(
        async () => (await leftovers()).some((name) => name.startsWith(pausedPrefix)),
        "the next build has made its folder",
        30,
      );
      paused.child.kill("SIGSTOP");
      assert.ok(!(await leftovers()).includes(killedFolder!), "the killed build's folder stayed");
      await build({ input, output });
      const left = await leftovers();
      assert.ok(left.length === 1 && left[0]!.startsWith(pausedPrefix), `the running build's folder went: ${left}`);
    } finally {
      paused.child.kill("SIGKILL");
      await paused.exited;
    }
    await build({ input, output });
    assert.deepEqual(await leftovers(), []);
    assert.match(await readFile(join(output, "privacy", "index.html"), "utf8"), /<h1>Privacy policy<\/h1>/);
  });

  test("`npm run build` with a page that fails while other pages are still being written leaves nothing beside the output, which is unchanged", async () => {
    const { root, input, output } = await project(goodPage);
    // Pages of text no build has minified before, so each waits for the minifier while the broken page fails in its layout.
    const run = `${process.pid}-${Date.now()}`;
    for (let i = 0; i < 40; i++)
      await writeFile(
        join(input, `page-${i}.md`),
        `---\ntitle: Page ${i}\n---\n\nThe text of page ${i} in run ${run}.\n`,
      );
    await writeFile(
      join(root, "_includes", "broken.njk"),
      '{{ "no-such-image.webp" | picture({ alt: "", sizes: "1px" }) }}{{ content | safe }}',
    );
    await writeFile(join(input, "broken.md"), "---\ntitle: Broken\nlayout: broken.njk\n---\n\nText.\n");
    const build = spawnSync(process.execPath, [...npmScriptArguments("build"), "--input", input, "--output", output], {
      encoding: "utf8",
    });
    assert.equal(build.status, 1, build.stderr);
    assert.match(build.stderr, /no image named "no-such-image.webp"/);
    assert.doesNotMatch(build.stderr, /^Node\.js v/m, "the build crashed");
    // Every other page went on to be minified (and kept in .cache/) after the build failed: it was written right after.
    const names = await readdir(".cache/minified");
    const texts = await Promise.all(
      names.map((name) => readFile(join(".cache/minified", name), "utf8").catch(() => "")),
    );
    assert.equal(texts.filter((text) => text.includes(`in run ${run}.`)).length, 40);
    assert.deepEqual((await readdir(root)).sort(), ["_includes", "public", "src"]);
    assert.deepEqual(await readdir(output), ["index.html"]);
    assert.equal(await readFile(join(output, "index.html"), "utf8"), "previous build");
  });
});
