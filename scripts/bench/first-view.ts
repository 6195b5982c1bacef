// The first view's weight: what Chromium fetches from our origin, through the
// test hosts, in each theme.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import puppeteer from "puppeteer-core";
import type { Site } from "../../lib/site.ts";
import { portalHosts } from "../harness/hosts.ts";

/** What Chromium fetches from our origin for the first view, in each theme: requests, and bytes as nginx sends them (gzip -6 for text). */
export async function firstView(folder: string, site: Site) {
  const hosts = await portalHosts(folder, site);
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROME_HEADLESS_SHELL_PATH ?? "/usr/bin/chromium-headless-shell",
    headless: "shell",
    args: ["--no-sandbox", ...hosts.chromiumArgs],
  });
  const views: Record<string, { requests: number; bytes: number }> = {};
  for (const colorScheme of ["light", "dark"]) {
    const page = await (await browser.createBrowserContext()).newPage();
    const urls: string[] = [];
    page.on("requestfinished", (request) => request.url().startsWith(site.origin) && urls.push(request.url()));
    await page.setViewport({ width: 1280, height: 900 });
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: colorScheme }]);
    await page.goto(`${site.origin}/privacy/`, { waitUntil: "networkidle0" });
    const sizes = urls.map((url) => {
      const path = join(folder, new URL(url).pathname.replace(/\/$/, "/index.html"));
      const bytes = readFileSync(path);
      return /\.(html|css|js|svg)$/.test(path) ? gzipSync(bytes, { level: 6 }).length : bytes.length;
    });
    views[colorScheme] = { requests: urls.length, bytes: sizes.reduce((sum, size) => sum + size, 0) };
  }
  await browser.close();
  await hosts.close();
  return views;
}
