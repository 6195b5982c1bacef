// Debian's Chromium, driven by puppeteer-core (no browser download), that
// reaches only the test hosts: a built site on the portal's origin and the
// Matomo stand-in on Matomo's. Each visit is a fresh incognito context, and
// records as problems what a visitor should never meet: console errors,
// failed or refused requests, error responses, security-policy violations.
import { createServer } from "node:net";
import { after } from "node:test";
import puppeteer, { type Browser, type CDPSession, type Page } from "puppeteer-core";
import { portalHosts } from "../../scripts/harness/hosts.ts";
import { loadSite } from "../../lib/site.ts";

export const site = loadSite("src/_data/site.json");
export const chromiumPath = process.env.CHROME_HEADLESS_SHELL_PATH ?? "/usr/bin/chromium-headless-shell";
export const wcag = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];

export interface Visit {
  colorScheme?: "light" | "dark";
  contrast?: "more";
  forcedColors?: "active";
  print?: boolean;
  javaScript?: boolean;
  width?: number;
  /** What the portal's origin has in localStorage as the page starts, such as { bsTheme: "dark" }. */
  storage?: Record<string, string>;
  /** Do Not Track or Global Privacy Control, as a browser that sends it: the header and navigator's property. */
  signal?: "doNotTrack" | "globalPrivacyControl";
}

export interface Visited {
  page: Page;
  problems: string[];
}

/** Chromium with the hosts serving `folder` (a build); `close` ends both. */
export async function launchChromium(folder: string) {
  const hosts = await portalHosts(folder, site);
  const browser: Browser = await puppeteer.launch({
    executablePath: chromiumPath,
    headless: "shell",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-component-update", ...hosts.chromiumArgs],
  });

  /** Loads `path` of the portal in a fresh context with the visitor's settings; `emulate` changes them later. */
  async function visit(path: string, options: Visit = {}): Promise<Visited> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (message) => message.type() === "error" && problems.push(`console: ${message.text()}`));
    page.on("pageerror", (error) => problems.push(`page error: ${error}`));
    page.on(
      "response",
      (response) => response.status() >= 400 && problems.push(`HTTP ${response.status()}: ${response.url()}`),
    );
    page.on("requestfailed", (request) => {
      if (request.failure()?.errorText !== "net::ERR_ABORTED")
        problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`);
    });
    await page.evaluateOnNewDocument(() =>
      document.addEventListener("securitypolicyviolation", (event) =>
        console.error(`CSP: ${event.violatedDirective} ${event.blockedURI}`),
      ),
    );
    if (options.signal) {
      await page.setExtraHTTPHeaders(options.signal === "doNotTrack" ? { DNT: "1" } : { "Sec-GPC": "1" });
      await page.evaluateOnNewDocument((signal) => {
        const [name, value] = signal === "doNotTrack" ? ["doNotTrack", "1"] : ["globalPrivacyControl", true];
        Object.defineProperty(Navigator.prototype, name, { get: () => value });
      }, options.signal);
    }
    if (options.storage)
      await page.evaluateOnNewDocument(
        (entries) => entries.forEach(([key, value]) => localStorage.setItem(key, value)),
        Object.entries(options.storage),
      );
    await page.setJavaScriptEnabled(options.javaScript ?? true);
    await page.setViewport({ width: options.width ?? 1280, height: 800 });
    await emulate(page, options);
    await page.goto(/^https?:/.test(path) ? path : `${site.origin}${path}`, { waitUntil: "load" });
    // Closed once the test that made it ends.
    after(() => context.close().catch(() => undefined));
    return { page, problems };
  }

  const close = async () => {
    await browser.close();
    await hosts.close();
  };
  return { visit, traffic: hosts.traffic, refused: hosts.refused, close };
}

const sessions = new WeakMap<Page, Promise<CDPSession>>();

/** Shows `page` with these system settings, in one CDP command (puppeteer knows no prefers-contrast). */
export async function emulate(page: Page, { colorScheme, contrast, forcedColors, print }: Visit): Promise<void> {
  if (!sessions.has(page)) sessions.set(page, page.createCDPSession());
  await (
    await sessions.get(page)!
  ).send("Emulation.setEmulatedMedia", {
    media: print ? "print" : "",
    features: [
      { name: "prefers-color-scheme", value: colorScheme ?? "light" },
      { name: "prefers-contrast", value: contrast ?? "" },
      { name: "forced-colors", value: forcedColors ?? "" },
    ],
  });
}

/** Waits until `check` holds, asking again on each of the page's frames. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, page?: Page): Promise<void> {
  for (const start = Date.now(); !(await check());) {
    if (Date.now() - start > 10_000) throw new Error(`never: ${what}`);
    await (page
      ? page.evaluate(() => new Promise(requestAnimationFrame))
      : new Promise((resolve) => setImmediate(resolve)));
  }
}

/** A port no one listens on, for a server that cannot say which port it took (nginx, WebKitWebDriver). */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
