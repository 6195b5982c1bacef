// `npm start`, as a maintainer runs it, on a copy of the sources, seen in
// Chromium: it listens on this machine only, reloads the page after the
// Markdown or the site data is saved, reports a mistake and keeps serving the last good page,
// and leaves nothing running once npm's process is stopped.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { cp, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { writeAtomically } from "../lib/build-cache.ts";
import { browserMissing, launchChromium, openPage } from "../scripts/harness/browser.ts";
import { eventually } from "./helpers/eventually.ts";
import { freePort } from "./helpers/free-port.ts";
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

test(
  "npm start serves on localhost, reloads after an edit of the page or the site data, keeps the last good page through a mistake, and stops whole",
  { skip: browserMissing() },
  async () => {
    const project = await mkdtemp(join(tmpdir(), "privacy-dev-"));
    await cp("src", join(project, "src"), { recursive: true });
    await cp("_includes", join(project, "_includes"), { recursive: true });
    const port = await freePort();
    const npm = spawn("npm", ["start", "--", `--input=${project}/src`, `--output=${project}/out`, `--port=${port}`], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    npm.stdout.on("data", (chunk) => (log += chunk));
    npm.stderr.on("data", (chunk) => (log += chunk));
    const browser = await launchChromium();
    try {
      await eventually(() => log.includes("Server at"), "the dev server is up", 30);
      const addresses = listeningAddresses(port);
      assert.ok(addresses.length > 0, "nothing listens on the port");
      assert.deepEqual(
        addresses.filter((address) => !loopback.has(address)),
        [],
        "the preview listens beyond this machine",
      );

      const url = `http://localhost:${port}/privacy/`;
      const { page, problems } = await openPage(browser, url);
      assert.equal(await page.locator("h1").textContent(), readPolicy().data.title);
      assert.equal(await page.locator('script[src*="analytics"]').count(), 0, "previews must not count visits");

      const file = join(project, "src", "privacy.md");
      const added = "A paragraph added while the preview runs.";
      // Saved as an editor's atomic save does: a plain write truncates first, and under load the watcher may build the empty file once.
      await writeAtomically(file, `${await readFile(file, "utf8")}\n${added}\n`);
      await eventually(
        async () => (await page.locator(".content p", { hasText: added }).count()) === 1,
        "the page shows the edit",
      );

      assert.deepEqual([...problems], []);

      const good = await (await fetch(url)).text();
      const edited = await readFile(file, "utf8");
      await writeAtomically(
        file,
        (await readFile(file, "utf8")).replace(/^\{% include "matomo-opt-out\.njk" %\}$/m, ""),
      );
      await eventually(
        () => log.includes(`${file}:1: this page has no Matomo opt-out form`),
        "the preview reports the mistake",
      );
      assert.match(log, /Fix: put \{% include "matomo-opt-out\.njk" %\} on a line of its own/);
      assert.equal(await (await fetch(url)).text(), good, "the last good page was replaced");
      // The dev server tells the open page too, in its console.
      await eventually(
        () =>
          problems.some((problem) => problem.startsWith("console error: [11ty]") && problem.includes("Build error")),
        "the page's console shows the build error",
      );

      // The configuration reads the site data (the Matomo origin the security policy allows): an edit restarts the preview.
      await writeAtomically(file, edited);
      const siteData = join(project, "src", "_data", "site.json");
      const matomo = "https://matomo.example.org";
      await writeAtomically(
        siteData,
        (await readFile(siteData, "utf8")).replace(/"origin": "https:\/\/matomo[^"]*"/, `"origin": "${matomo}"`),
      );
      // The server is down for the moment the preview restarts.
      const served = () =>
        fetch(url).then(
          (response) => response.text(),
          () => "",
        );
      await eventually(
        async () => (await served()).includes(`frame-src ${matomo}`),
        "the page's security policy names the new Matomo origin",
      );

      npm.kill("SIGTERM");
      await eventually(
        () => listeningAddresses(port).length === 0 && processesNaming(project).length === 0,
        "every process of the preview has ended",
      );
    } finally {
      await browser.close();
      for (const pid of processesNaming(project)) process.kill(pid, "SIGKILL");
    }
  },
);
