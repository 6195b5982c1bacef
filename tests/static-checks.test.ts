// Static checks of the built output: valid HTML, and links that resolve.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { HtmlValidate, StaticConfigLoader } from "html-validate";
import { sharedBuild } from "./helpers/build.ts";
import { findBrokenLinks } from "./helpers/link-check.ts";

// The project's .htmlvalidate.json (html-validate's recommended rules, none
// turned off), for the build and the fixtures in the temporary folder alike.
const htmlValidate = new HtmlValidate(new StaticConfigLoader(JSON.parse(readFileSync(".htmlvalidate.json", "utf8"))));

async function validationErrors(file: string): Promise<string[]> {
  const report = await htmlValidate.validateFile(file);
  return report.results.flatMap((result) =>
    result.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`),
  );
}

/** A site folder with the given pages, for showing what the checks catch. */
async function fixtureSite(pages: Record<string, string>): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "privacy-fixture-"));
  for (const [path, html] of Object.entries(pages)) {
    await mkdir(join(folder, path, ".."), { recursive: true });
    await writeFile(join(folder, path), html);
  }
  return folder;
}

const page = (body: string) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Fixture</title></head><body><main>${body}</main></body></html>`;

let folder: string;
let htmlFiles: string[];

before(async () => {
  folder = (await sharedBuild()).folder;
  htmlFiles = (await readdir(folder, { recursive: true })).filter((file) => file.endsWith(".html"));
});

describe("the built HTML", () => {
  test("every page passes html-validate's recommended rules", async () => {
    assert.ok(htmlFiles.includes(join("privacy", "index.html")));
    for (const file of htmlFiles) assert.deepEqual(await validationErrors(join(folder, file)), [], file);
  });

  test("every href, src and srcset resolves", async () => {
    assert.deepEqual(await findBrokenLinks(folder), []);
  });
});

describe("the static checks catch", () => {
  test("a duplicated id and a link without text", async () => {
    const site = await fixtureSite({ "index.html": page('<h1 id="a">A</h1><p id="a"><a href="#a"></a></p>') });
    const rules = (await validationErrors(join(site, "index.html"))).map((error) => error.split(" ")[1]);
    assert.deepEqual(rules, ["no-dup-id:", "wcag/h30:"]);
  });

  test("dead fragments, missing files, http: and malformed links and mail addresses", async () => {
    const site = await fixtureSite({
      "privacy/index.html": page(
        '<h2 id="log-data">Log</h2><a href="#log-data">ok</a><a href="/privacy#log-data">ok</a><a href="#logdata">dead</a>' +
          '<a href="/terms/">missing</a><a href="/privacy/#nowhere">dead elsewhere</a><img alt="" src="/a.png" srcset="/b.png 2x">' +
          '<a href="http://example.org/">plain http</a><a href="https://exa mple.org/">malformed</a>' +
          '<a href="mailto:desk@example.org">mail</a><a href="mailto:desk">no domain</a>',
      ),
    });
    assert.deepEqual(await findBrokenLinks(site), [
      'privacy/index.html: no id "logdata" for #logdata',
      "privacy/index.html: no file for /terms/",
      'privacy/index.html: no id "nowhere" for /privacy/#nowhere',
      "privacy/index.html: no file for /a.png",
      "privacy/index.html: no file for /b.png",
      "privacy/index.html: not https: http://example.org/",
      "privacy/index.html: malformed URL https://exa mple.org/",
      "privacy/index.html: malformed mail address mailto:desk",
    ]);
  });
});
