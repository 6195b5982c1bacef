// Debian's Chromium, driven by playwright-core: no browser download. Every
// request goes to the test's own server or the Matomo stand-in; any other is
// refused and recorded, so a test fails if the page tries to leave the machine.
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { loadSite } from "../../lib/site.ts";
import { matomoStandIn, type MatomoStandIn } from "./matomo-stand-in.ts";

export const chromiumPath = process.env.CHROME_PATH ?? "/usr/bin/chromium";

/** Why the browser tests cannot run here, or undefined when they can. In CI they must. */
export function browserMissing(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  const reason = `no Chromium at ${chromiumPath}: install it (apt-get install chromium) or set CHROME_PATH`;
  if (process.env.CI) throw new Error(`${reason}. CI must run the browser tests.`);
  return reason;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    // As root Chromium needs --no-sandbox; the rest keep it off the network and quiet.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-features=Translate,OptimizationHints,MediaRouter",
    ],
  });
}

export interface LoadedPage {
  page: Page;
  matomo: MatomoStandIn;
  /** Console errors, failed requests, error responses, security-policy violations, requests off the machine. */
  problems: string[];
}

export async function openPage(browser: Browser, url: string, options: BrowserContextOptions = {}): Promise<LoadedPage> {
  const context = await browser.newContext(options);
  const { origin } = new URL(url);
  const matomoOrigin = loadSite().matomo.origin;
  const matomo = matomoStandIn();
  const problems: string[] = [];

  await context.route("**/*", async (route) => {
    const requestOrigin = new URL(route.request().url()).origin;
    if (requestOrigin === origin) return route.continue();
    if (requestOrigin === matomoOrigin) return matomo.handle(route);
    problems.push(`request off the machine: ${route.request().url()}`);
    return route.abort("blockedbyclient");
  });

  const page = await context.newPage();
  if (options.javaScriptEnabled !== false) {
    // Runs before the page's own scripts and is not subject to its policy.
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
      });
    });
  }
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    if (!problems.some((p) => p.endsWith(request.url()))) problems.push(`failed request: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });

  await page.goto(url, { waitUntil: "load" });
  return { page, matomo, problems };
}
