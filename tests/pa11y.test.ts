// `npm run pa11y`: pa11y-ci as the portal runs it, over every page of a
// folder. .ci/run runs it on the project's build; here it meets pages of the
// test's own, one of them with a known WCAG2AA error. The script is a thin
// caller of scripts/harness/pa11y.ts, which runs here in the test's process.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { browserMissing, portalOrigin } from "../scripts/harness/browser.ts";
import { pa11yCi, pageUrls } from "../scripts/harness/pa11y.ts";

const page = (title: string, body: string) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;

test(
  "pa11y-ci checks every page served from the folder and fails on a WCAG2AA error",
  { skip: browserMissing() },
  async () => {
    const site = mkdtempSync(join(tmpdir(), "privacy-pa11y-site-"));
    writeFileSync(join(site, "404.html"), page("Not found", "<p>No page here.</p>"));
    mkdirSync(join(site, "broken"));
    // WCAG 2.0 success criterion 1.1.1: an image without a text alternative (HTML_CodeSniffer's H37).
    writeFileSync(join(site, "broken", "index.html"), page("Broken", '<p><img src="/broken/chart.png"></p>'));
    assert.deepEqual(pageUrls(site), [`${portalOrigin}/404.html`, `${portalOrigin}/broken/`]);

    let output = "";
    const status = await pa11yCi(site, (text) => (output += text));

    assert.equal(status, 2, output);
    assert.match(output, /Running Pa11y on 2 URLs/);
    assert.ok(output.includes(` > ${portalOrigin}/404.html - 0 errors`), output);
    assert.ok(output.includes(` > ${portalOrigin}/broken/ - 1 errors`), output);
    assert.match(
      output,
      /Errors in https:\/\/\S+\/broken\/:\s+• Img element missing an alt attribute\.[\s\S]*<img src="\/broken\/chart\.png">/,
    );
    assert.match(output, /✘ 1\/2 URLs passed/);
  },
);

test("npm run pa11y stops with the fix when the folder holds no build", () => {
  const empty = mkdtempSync(join(tmpdir(), "privacy-pa11y-empty-"));
  const run = spawnSync("npm", ["run", "--silent", "pa11y", "--", "--folder", empty], { encoding: "utf8" });
  assert.equal(run.status, 1);
  assert.equal(run.stderr.trim(), `${empty}/ holds no built page: run npm run build first.`);
});
