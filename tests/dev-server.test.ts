// `npm start`, as a maintainer runs it, on a copy of the sources, seen in
// Chromium: it listens on this machine only, reloads the page after the
// Markdown or the site data is saved, reports a mistake in the terminal and
// the page's console while the open page stays as it was, and leaves nothing
// running once npm's process is stopped; with Eleventy's --incremental,
// every save ends in the new page or the mistake; and started on a page with
// a mistake, it starts once a fix is saved.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { writeAtomically } from "../lib/build-cache.ts";
import { browserMissing, launchChromium, openPage } from "../scripts/harness/browser.ts";
import { gitProject } from "../scripts/harness/project.ts";
import { eventually } from "./helpers/eventually.ts";
import { readPolicy } from "./helpers/policy.ts";

/** The local addresses listening on `port`, from the kernel's tables (IPv4 and IPv6, hex as the kernel writes them). */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  return ["/proc/net/tcp", "/proc/net/tcp6"].flatMap((table) =>
    readFileSync(table, "utf8")
      .split("\n")
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter(([, local, , state]) => local?.endsWith(`:${hexPort}`) && state === "0A")
      .map(([, local]) => local!.split(":")[0]!),
  );
}
const loopback = new Set(["0100007F", "00000000000000000000000001000000"]);

/** The processes whose command line names `text`. */
function processesNaming(text: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(text);
      } catch {
        return false; // ended meanwhile
      }
    })
    .map(Number);
}

/**
 * `npm start` on a copy of the project, with its history, on a port the system picks (port 0): the dev server
 * reports it. With `mistake`, the page has it when the preview starts, which then has no server to wait for.
 */
async function startPreview({ args = [], mistake }: { args?: string[]; mistake?: string } = {}) {
  const project = (await gitProject([], "privacy-dev-")).root;
  const page = join(project, "src", "privacy.md");
  const text = await readFile(page, "utf8");
  if (mistake) await writeAtomically(page, `${text}\n${mistake}\n`);
  const npm = spawn("npm", ["start", "--", `--input=${project}/src`, `--output=${project}/out`, "--port=0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  npm.stdout.on("data", (chunk) => (log += chunk));
  npm.stderr.on("data", (chunk) => (log += chunk));
  /** The port the dev server last reported: a restart gets another. */
  const port = () => Number([...log.matchAll(/Server at http:\/\/localhost:(\d+)\//g)].at(-1)?.[1] ?? 0);
  if (!mistake) await eventually(() => port() > 0, "the dev server is up", 30);
  return {
    project,
    page,
    /** The page as the copy had it. */
    text,
    port,
    log: () => log,
    /** Stops npm as a terminal does, and waits until nothing of the preview runs. */
    async stop() {
      const last = port();
      npm.kill("SIGTERM");
      await eventually(
        () => listeningAddresses(last).length === 0 && processesNaming(project).length === 0,
        "every process of the preview has ended",
      );
    },
    /** Ends whatever a failed test left running. */
    kill() {
      for (const pid of processesNaming(project)) process.kill(pid, "SIGKILL");
    },
  };
}

test(
  "npm start serves on localhost, reloads after an edit of the page or the site data, reports a mistake while the open page stays as it was, and stops whole",
  { skip: browserMissing() },
  async () => {
    const preview = await startPreview();
    const { project } = preview;
    const port = preview.port();
    const browser = await launchChromium();
    try {
      const addresses = listeningAddresses(port);
      assert.ok(addresses.length > 0, "nothing listens on the port");
      assert.deepEqual(
        addresses.filter((address) => !loopback.has(address)),
        [],
        "the preview listens beyond this machine",
      );

      const url = `http://localhost:${port}/privacy/`;
      const { page, problems } = await openPage(browser, url);
      const paragraphs = () => page.$$eval(".content p", (all) => all.map((p) => p.textContent));
      assert.equal(await page.$eval("h1", (h1) => h1.textContent), readPolicy().data.title);
      assert.equal(await page.$('script[src*="analytics"]'), null, "previews must not count visits");

      const file = join(project, "src", "privacy.md");
      const added = "A paragraph added while the preview runs.";
      // Saved as an editor's atomic save does: a plain write truncates first, and under load the watcher may build the empty file once.
      await writeAtomically(file, `${await readFile(file, "utf8")}\n${added}\n`);
      // The dev server reloads the page: the wait goes on across the reload.
      await page.waitForFunction(
        (text) => [...document.querySelectorAll(".content p")].some((p) => p.textContent === text),
        {},
        added,
      );

      assert.deepEqual([...problems], []);

      const edited = await readFile(file, "utf8");
      await writeAtomically(
        file,
        (await readFile(file, "utf8")).replace(/^\{% include "matomo-opt-out\.njk" %\}$/m, ""),
      );
      await eventually(
        () => preview.log().includes(`${file}:1: this page has no Matomo opt-out form`),
        "the preview reports the mistake",
      );
      assert.match(preview.log(), /Fix: put \{% include "matomo-opt-out\.njk" %\} on a line of its own/);
      // The dev server tells the open page too, in its console.
      await eventually(
        () =>
          problems.some((problem) => problem.startsWith("console error: [11ty]") && problem.includes("Build error")),
        "the page's console shows the build error",
      );
      assert.ok((await paragraphs()).includes(added), "the open page changed");

      // The configuration reads the site data (the Matomo origin the security policy allows): an edit restarts the preview.
      await writeAtomically(file, edited);
      const siteData = join(project, "src", "_data", "site.json");
      const matomo = "https://matomo.example.org";
      await writeAtomically(
        siteData,
        (await readFile(siteData, "utf8")).replace(/"origin": "https:\/\/matomo[^"]*"/, `"origin": "${matomo}"`),
      );
      // The server is down for the moment the preview restarts, and comes back on another port.
      const served = () =>
        fetch(`http://localhost:${preview.port()}/privacy/`).then(
          (response) => response.text(),
          () => "",
        );
      await eventually(
        async () => (await served()).includes(`frame-src ${matomo}`),
        "the page's security policy names the new Matomo origin",
      );

      await preview.stop();
    } finally {
      await browser.close();
      preview.kill();
    }
  },
);

test("npm start -- --incremental: a saved edit is served, a dead #fragment is reported, and the fix is served", async () => {
  const preview = await startPreview({ args: ["--incremental"] });
  try {
    const served = () => fetch(`http://localhost:${preview.port()}/privacy/`).then((response) => response.text());
    const text = await readFile(preview.page, "utf8");
    const save = (...paragraphs: string[]) => writeAtomically(preview.page, [text, ...paragraphs].join("\n\n"));

    await save("Words saved while the preview runs.");
    await eventually(
      async () => (await served()).includes("Words saved while the preview runs."),
      "the edit is served",
    );

    await save("See [the missing section](#no-such-section).");
    const line = [text, ""].join("\n\n").split("\n").length;
    await eventually(
      () => preview.log().includes(`${preview.page}:${line}: the link to "#no-such-section" leads nowhere`),
      "the preview reports the dead fragment on its line",
    );

    await save("Words of the fix.");
    await eventually(async () => (await served()).includes("Words of the fix."), "the fix is served");
    assert.doesNotMatch(preview.log(), /Uncaught exception|Error:/, "the preview failed on its own");
    await preview.stop();
  } finally {
    preview.kill();
  }
});

test("npm start with a mistake in the page lists it and waits, and a saved fix starts the preview", async () => {
  const preview = await startPreview({ mistake: "{{ title | noSuchFilter }}" });
  try {
    await eventually(
      () => preview.log().includes("The preview's first build failed: it starts again when you save a fix."),
      "the preview waits for a fix",
      30,
    );
    assert.match(preview.log(), /privacy\.md:\d+: "noSuchFilter" is no filter/);
    await writeAtomically(preview.page, preview.text);
    await eventually(() => preview.port() > 0, "the preview starts", 30);
    const served = await fetch(`http://localhost:${preview.port()}/privacy/`);
    assert.equal(served.status, 200);
    await preview.stop();
  } finally {
    preview.kill();
  }
});
