// Debian's Chromium, driven by playwright-core: no browser download. Pages
// load from the test's own servers: the built site on the portal's real
// origin or on a loopback port, and the Matomo stand-in on Matomo's real
// origin (see test-hosts.ts). Any other request is refused and recorded, so
// a test fails if the page tries to leave the machine.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { loadSite } from "../../lib/site.ts";
import { matomoStandIn, outcomeHeader, type Outcome } from "./matomo/stand-in.ts";
import { siteHandler } from "./static-server.ts";
import { startTestHosts, type TestHosts } from "./test-hosts.ts";

export const chromiumPath = process.env.CHROME_PATH ?? "/usr/bin/chromium";
const site = loadSite();
export const portalOrigin = site.origin;
export const matomoOrigin = site.matomo.origin;

/** Why the browser tests cannot run here, or undefined when they can. In CI they must. */
export function browserMissing(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  const reason = `no Chromium at ${chromiumPath}: install it (apt-get install chromium) or set CHROME_PATH`;
  if (process.env.CI) throw new Error(`${reason}. CI must run the browser tests.`);
  return reason;
}

/** The hosts a test's pages are served from, and the browsers opened on them. */
export interface TestBrowser {
  hosts: TestHosts;
  open: Set<BrowserContext>;
  /** Ends the hosts and any browser a failed test left open. */
  close(): Promise<void>;
}

/** `portal`: a built site to serve on the portal's origin, and on each of `mirrors` (origins of other sites). */
export async function launchChromium({ portal, mirrors = [] }: { portal?: string; mirrors?: string[] } = {}): Promise<TestBrowser> {
  const sites = portal ? [portalOrigin, ...mirrors].map((origin) => [origin, siteHandler(portal)] as const) : [];
  const hosts = await startTestHosts({ [matomoOrigin]: matomoStandIn(), ...Object.fromEntries(sites) });
  const open = new Set<BrowserContext>();
  return {
    hosts,
    open,
    close: async () => {
      await Promise.all([...open].map((context) => context.close()));
      await hosts.close();
    },
  };
}

export interface PageOptions extends BrowserContextOptions {
  /** Chromium's setting: "blocked" is its default now, "allowed" what most browsers still do. */
  thirdPartyCookies?: "allowed" | "blocked";
  /** Chromium's own Do Not Track setting: sends DNT: 1 and sets navigator.doNotTrack. */
  doNotTrack?: boolean;
  /** Global Privacy Control, which Chromium lacks: Sec-GPC: 1 and navigator.globalPrivacyControl, as Firefox and Brave send them. */
  globalPrivacyControl?: boolean;
  /** Holds back the response to each URL this says, by that many milliseconds. */
  delay?: (url: string) => number;
  /** What the portal's origin has in localStorage when each page starts, such as { bsTheme: "dark" }. */
  storage?: Record<string, string>;
}

export interface MatomoTraffic {
  /** Every URL the browser asked Matomo for. */
  requests: string[];
  /** Every tracking request, and what the stand-in's matomo.php made of it. */
  pageViews: { url: URL; outcome: Outcome }[];
}

export interface LoadedPage {
  page: Page;
  context: BrowserContext;
  matomo: MatomoTraffic;
  /** Console errors, failed requests, error responses, security-policy violations, requests off the machine. */
  problems: string[];
  /** Cookies the browser holds for the portal's site, Matomo's host aside. */
  portalCookies(): Promise<string[]>;
}

/** Opens `url` in a browser of its own (its own profile and cookie jar); closing the context ends it. */
export async function openPage(browser: TestBrowser, url: string, options: PageOptions = {}): Promise<LoadedPage> {
  const { thirdPartyCookies = "blocked", doNotTrack = false, globalPrivacyControl = false, delay = () => 0, storage, ...contextOptions } = options;
  const profile = mkdtempSync(join(tmpdir(), "privacy-chromium-"));
  mkdirSync(join(profile, "Default"));
  writeFileSync(
    join(profile, "Default", "Preferences"),
    JSON.stringify({ enable_do_not_track: doNotTrack, profile: { cookie_controls_mode: thirdPartyCookies === "blocked" ? 1 : 0 } }),
  );
  const context = await chromium.launchPersistentContext(profile, {
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
      ...browser.hosts.chromiumArgs,
    ],
    ...contextOptions,
    ...(globalPrivacyControl ? { extraHTTPHeaders: { ...contextOptions.extraHTTPHeaders, "Sec-GPC": "1" } } : {}),
  });
  browser.open.add(context);
  context.on("close", () => browser.open.delete(context));
  const allowed = new Set([new URL(url).origin, portalOrigin, matomoOrigin]);
  const problems: string[] = [];
  const matomo: MatomoTraffic = { requests: [], pageViews: [] };

  await context.route("**/*", async (route) => {
    if (allowed.has(new URL(route.request().url()).origin)) {
      const wait = delay(route.request().url());
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return route.continue();
    }
    problems.push(`request off the machine: ${route.request().url()}`);
    return route.abort("blockedbyclient");
  });
  context.on("request", (request) => {
    if (request.url().startsWith(`${matomoOrigin}/`)) matomo.requests.push(request.url());
  });
  context.on("response", (response) => {
    const outcome = response.headers()[outcomeHeader];
    if (outcome) matomo.pageViews.push({ url: new URL(response.url()), outcome: outcome as Outcome });
  });
  if (globalPrivacyControl) {
    // A string, not a function: tsx would wrap a function in a helper the page lacks.
    await context.addInitScript({ content: 'Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: function () { return true; } });' });
  }
  if (storage) {
    const entries = JSON.stringify(Object.entries(storage));
    await context.addInitScript({ content: `if (location.origin === ${JSON.stringify(new URL(url).origin)}) for (const [k, v] of ${entries}) localStorage.setItem(k, v);` });
  }
  if (contextOptions.javaScriptEnabled !== false) {
    // Runs before the page's own scripts and is not subject to its policy.
    await context.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
      });
    });
  }

  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  context.on("requestfailed", (request) => {
    // ERR_ABORTED: the browser itself gave the request up, as it does with a favicon when the page navigates.
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    if (!problems.some((p) => p.endsWith(request.url()))) problems.push(`failed request: ${request.url()} ${request.failure()?.errorText}`);
  });
  context.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });

  await page.goto(url, { waitUntil: "load" });
  const portalSite = new URL(portalOrigin).hostname.split(".").slice(-2).join(".");
  const portalCookies = async () =>
    (await context.cookies())
      .filter((cookie) => cookie.domain.replace(/^\./, "").endsWith(portalSite) && !matomoOrigin.endsWith(cookie.domain.replace(/^\./, "")))
      .map((cookie) => `${cookie.domain} ${cookie.name}`);
  return { page, context, matomo, problems, portalCookies };
}

/** Scrolls to the end of the page a step at a time, as a reader would, so lazy images load. */
export async function scrollToEnd(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += 300) {
      window.scrollTo(0, y);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  await page.waitForLoadState("networkidle");
}

/** The layout shift since the page started loading, shifts right after input left out (the Cumulative Layout Shift of the visit). */
export function layoutShift(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          const shifts = list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[];
          resolve(shifts.filter((shift) => !shift.hadRecentInput).reduce((sum, shift) => sum + shift.value, 0));
        }).observe({ type: "layout-shift", buffered: true });
        // No entry at all: nothing moved.
        setTimeout(() => resolve(0), 500);
      }),
  );
}
