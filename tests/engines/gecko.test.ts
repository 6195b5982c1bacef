// The page and Matomo's opt-out frame in Debian's Firefox ESR (Gecko), driven
// over WebDriver BiDi by puppeteer-core: in both themes, under our security
// policy, with no error, nothing asked of another site, and the visit counted.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import puppeteer, { type Browser } from "puppeteer-core";
import { loadSite } from "../../lib/site.ts";
import { portalHosts } from "../../scripts/harness/hosts.ts";
import { copyProject } from "../helpers/project.ts";

const site = loadSite("src/_data/site.json");
const profile = mkdtempSync(join(tmpdir(), "privacy-firefox-"));
let hosts: Awaited<ReturnType<typeof portalHosts>>;
let firefox: Browser;

before(async () => {
  const project = copyProject({ git: true });
  assert.equal((await project.npm("build")).code, 0);
  hosts = await portalHosts(join(project.root, "public"), site);
  const { port } = new URL(hosts.proxy);
  firefox = await puppeteer.launch({
    browser: "firefox",
    executablePath: process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr",
    userDataDir: profile,
    headless: true,
    acceptInsecureCerts: true,
    extraPrefsFirefox: {
      "network.proxy.type": 1,
      "network.proxy.ssl": "127.0.0.1",
      "network.proxy.ssl_port": Number(port),
    },
  });
});
after(async () => {
  await firefox?.close();
  await hosts?.close();
  rmSync(profile, { recursive: true, force: true });
});

for (const theme of ["light", "dark"] as const) {
  test(`Gecko, ${theme}: the page and Matomo's form load under our policy, with no error, nothing asked of another site, and the visit counted`, async () => {
    const context = await firefox.createBrowserContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
    page.on("pageerror", (error) => problems.push(String(error)));
    // The page's own requests, frame included: Firefox's own (its settings service) are not the page's.
    const origins = new Set<string>();
    page.on("request", (request) => origins.add(new URL(request.url()).origin));
    await page.evaluateOnNewDocument(
      (stored, portal) => {
        if (location.origin === portal) localStorage.setItem("bsTheme", stored);
        document.addEventListener("securitypolicyviolation", (event) =>
          console.error(`CSP: ${event.violatedDirective} ${event.blockedURI}`),
        );
      },
      theme,
      site.origin,
    );
    const [frames, views] = [hosts.traffic.frames.length, hosts.traffic.tracking.length];
    await page.goto(`${site.origin}/privacy/`, { waitUntil: "load" });
    assert.equal(await page.evaluate(() => document.documentElement.getAttribute("data-bs-theme")), theme);
    const frame = await (await page.waitForSelector("#matoOpOut"))!.contentFrame();
    await frame!.waitForSelector("#trackVisits");
    assert.equal(hosts.traffic.frames.length, frames + 1);
    assert.equal(hosts.traffic.frames.at(-1)!.url.searchParams.has("backgroundColor"), theme === "dark");
    await page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForFunction(() =>
      [...document.images].filter((img) => img.checkVisibility()).every((img) => img.complete && img.naturalWidth > 0),
    );
    await page.waitForNetworkIdle();
    assert.equal(hosts.traffic.tracking.length, views + 1, "the visit was not counted");
    assert.deepEqual(problems, []);
    assert.deepEqual([...origins].sort(), [site.origin, site.matomo.origin].sort());
    await context.close();
  });
}
