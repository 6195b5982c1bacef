// `npm start`: Eleventy's dev server under tsx, on a copy of the sources,
// seen in Chromium: it serves the page under its security policy and the
// page reloads itself after the Markdown is saved.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { browserMissing, launchChromium, openPage } from "./helpers/browser.ts";
import { eventually } from "./helpers/eventually.ts";
import { freePort } from "./helpers/free-port.ts";
import { readPolicy } from "./helpers/policy.ts";

test("the dev server reloads the page after a Markdown edit", { skip: browserMissing() }, async () => {
  const project = await mkdtemp(join(tmpdir(), "privacy-dev-"));
  await cp("src", join(project, "src"), { recursive: true });
  await cp("_includes", join(project, "_includes"), { recursive: true });
  const port = await freePort();
  // What `npm start` runs (without the `tsx watch` that restarts it on TypeScript edits), on the copy.
  const server = spawn(
    process.execPath,
    ["--import", "tsx", "node_modules/@11ty/eleventy/cmd.cjs", "--config=.eleventy.ts", `--input=${project}/src`, `--output=${project}/out`, "--serve", `--port=${port}`],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  server.stdout.on("data", (chunk) => (log += chunk));
  server.stderr.on("data", (chunk) => (log += chunk));
  const browser = await launchChromium();
  try {
    await eventually(() => log.includes("Server at"), "the dev server is up");
    const { page, context, problems } = await openPage(browser, `http://localhost:${port}/privacy/`);
    assert.equal(await page.locator("h1").textContent(), readPolicy().data.title);
    assert.equal(await page.locator('script[src*="matomo"]').count(), 0, "previews must not count visits");

    const file = join(project, "src", "privacy.md");
    await writeFile(file, `${await readFile(file, "utf8")}\nA paragraph added while the preview runs.\n`);
    await eventually(async () => (await page.locator(".content p", { hasText: "A paragraph added while the preview runs." }).count()) === 1, "the page shows the edit");
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    await browser.close();
    server.kill();
  }
});
