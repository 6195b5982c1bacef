// Debian's Chromium, driven by playwright-core: no browser download. Pages
// load from the test's own servers: the built site on the portal's real
// origin or on a loopback port, and the Matomo stand-in on Matomo's real
// origin (see test-hosts.ts). Chromium resolves no other host, and a request
// for one is recorded as a problem, so a test fails if the page tries to
// leave the machine.
//
// One Chromium per test file; each page opens in a fresh context (its own
// cookies, storage and cache). Where a Chromium profile setting is the point
// (third-party cookies, Do Not Track), the page opens in a profile with that
// setting, one per setting and file, its state cleared before each page.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { loadSite } from "../../lib/site.ts";
import { matomoStandIn, outcomeHeader, type Outcome } from "./matomo/stand-in.ts";
import { siteHandler } from "./static-server.ts";
import { startTestHosts } from "./test-hosts.ts";
import { toolsMissing } from "./tools.ts";

export const chromiumPath = process.env.CHROME_PATH ?? "/usr/bin/chromium";
/** The axe-core rule tags every page is checked against: WCAG 2.2 A and AA, and best practices. */
export const wcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];
const site = loadSite();
export const portalOrigin = site.origin;
export const matomoOrigin = site.matomo.origin;

/** Why the browser tests cannot run here, or undefined when they can. In CI they must. */
export const browserMissing = () => toolsMissing("the browser tests", [{ name: "Chromium", path: chromiumPath, debianPackage: "chromium", variable: "CHROME_PATH" }]);

export interface MatomoTraffic {
  /** Every URL the browser asked Matomo for. */
  requests: string[];
  /** Every tracking request, and what the stand-in's matomo.php made of it. */
  pageViews: { url: URL; outcome: Outcome }[];
}

/** What one page's visit records: see LoadedPage. */
interface Visit {
  allowed: Set<string>;
  problems: string[];
  matomo: MatomoTraffic;
}

/** The Chromium that opens a test's pages, and the hosts they are served from. */
export interface TestBrowser {
  /** Opens a context: fresh, or the profile for a setting. */
  context(options: PageOptions): Promise<{ context: BrowserContext; visit: Visit }>;
  /** Ends the browser, its profiles and the hosts. */
  close(): Promise<void>;
}

/** As root Chromium needs --no-sandbox; the rest keep it off the network and quiet. */
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // No spare renderer kept warm for the next page: on two cores it only takes CPU from the page in hand.
  "--disable-features=Translate,OptimizationHints,MediaRouter,SpareRendererForSitePerProcess",
];

/** `portal`: a built site to serve on the portal's origin, and on each of `mirrors` (origins of other sites). */
export async function launchChromium({ portal, mirrors = [] }: { portal?: string; mirrors?: string[] } = {}): Promise<TestBrowser> {
  const sites = portal ? [portalOrigin, ...mirrors].map((origin) => [origin, siteHandler(portal)] as const) : [];
  const hosts = await startTestHosts({ [matomoOrigin]: matomoStandIn(), ...Object.fromEntries(sites) });
  const args = [...chromiumArgs, ...hosts.chromiumArgs];
  let browser: Promise<Browser> | undefined;
  const profiles = new Map<string, Promise<{ context: BrowserContext; visit: Visit }>>();
  const contexts = new Set<BrowserContext>();
  const profileFolders: string[] = [];

  /** Records what each request of `context` does for the visit it is part of; a request for another host is a problem (Chromium refuses to resolve it). */
  function watch(context: BrowserContext, visit: Visit): void {
    contexts.add(context);
    context.on("close", () => contexts.delete(context));
    context.on("request", (request) => {
      if (!visit.allowed.has(new URL(request.url()).origin)) visit.problems.push(`request off the machine: ${request.url()}`);
      if (request.url().startsWith(`${matomoOrigin}/`)) visit.matomo.requests.push(request.url());
    });
    context.on("response", (response) => {
      const outcome = response.headers()[outcomeHeader];
      if (outcome) visit.matomo.pageViews.push({ url: new URL(response.url()), outcome: outcome as Outcome });
      if (response.status() >= 400) visit.problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    context.on("requestfailed", (request) => {
      // ERR_ABORTED: the browser itself gave the request up, as it does with a favicon when the page navigates.
      if (request.failure()?.errorText === "net::ERR_ABORTED") return;
      if (!visit.problems.some((p) => p.endsWith(request.url()))) visit.problems.push(`failed request: ${request.url()} ${request.failure()?.errorText}`);
    });
  }

  const newVisit = (): Visit => ({ allowed: new Set(), problems: [], matomo: { requests: [], pageViews: [] } });

  async function profile(thirdPartyCookies: "allowed" | "blocked", doNotTrack: boolean) {
    const folder = mkdtempSync(join(tmpdir(), "privacy-chromium-"));
    profileFolders.push(folder);
    mkdirSync(join(folder, "Default"));
    writeFileSync(
      join(folder, "Default", "Preferences"),
      JSON.stringify({ enable_do_not_track: doNotTrack, profile: { cookie_controls_mode: thirdPartyCookies === "blocked" ? 1 : 0 } }),
    );
    const context = await chromium.launchPersistentContext(folder, { executablePath: chromiumPath, args });
    const visit = newVisit();
    watch(context, visit);
    return { context, visit };
  }

  return {
    async context({ thirdPartyCookies, doNotTrack = false, ...options }) {
      if (thirdPartyCookies || doNotTrack) {
        const key = `${thirdPartyCookies} ${doNotTrack}`;
        if (!profiles.has(key)) profiles.set(key, profile(thirdPartyCookies ?? "blocked", doNotTrack));
        const unsupported = Object.keys(options).filter((option) => option !== "viewport");
        if (unsupported.length) throw new Error(`a profile's pages take no ${unsupported.join(", ")}: give them to a fresh context instead`);
        const opened = await profiles.get(key)!;
        // A visit of its own: nothing of the one before.
        await Promise.all(opened.context.pages().map((page) => page.close()));
        await opened.context.clearCookies();
        const page = await opened.context.newPage();
        const cdp = await opened.context.newCDPSession(page);
        await cdp.send("Network.clearBrowserCache");
        for (const origin of [portalOrigin, matomoOrigin, ...mirrors]) await cdp.send("Storage.clearDataForOrigin", { origin, storageTypes: "all" });
        await cdp.detach();
        if (options.viewport) await page.setViewportSize(options.viewport);
        Object.assign(opened.visit, newVisit());
        return opened;
      }
      browser ??= chromium.launch({ executablePath: chromiumPath, args });
      const context = await (await browser).newContext(options);
      const visit = newVisit();
      watch(context, visit);
      return { context, visit };
    },
    close: async () => {
      await Promise.all([...contexts].map((context) => context.close()));
      if (browser) await (await browser).close();
      await hosts.close();
      await Promise.all(profileFolders.map((folder) => rm(folder, { recursive: true, force: true })));
    },
  };
}

export interface PageOptions extends BrowserContextOptions {
  /** Chromium's setting, in a profile with it: "blocked" is its default now (and a fresh context's), "allowed" what most browsers still do. */
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

export interface LoadedPage {
  page: Page;
  context: BrowserContext;
  matomo: MatomoTraffic;
  /** Console errors, failed requests, error responses, security-policy violations, requests off the machine. */
  problems: string[];
  /** Cookies the browser holds for the portal's site, Matomo's host aside. */
  portalCookies(): Promise<string[]>;
  /** Ends the visit: a fresh context closes; a profile stays for the next page. */
  close(): Promise<void>;
}

/** Opens `url` in a context of its own (or a profile cleared for it). */
export async function openPage(browser: TestBrowser, url: string, options: PageOptions = {}): Promise<LoadedPage> {
  const { globalPrivacyControl = false, delay, storage, ...contextOptions } = options;
  const { context, visit } = await browser.context(contextOptions);
  const fresh = !options.doNotTrack && !options.thirdPartyCookies;
  visit.allowed = new Set([new URL(url).origin, portalOrigin, matomoOrigin]);
  const page = context.pages()[0] ?? (await context.newPage());
  if (delay) {
    // Only where asked: routing sends every request through this process, which costs each one time.
    await page.route("**/*", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, delay(route.request().url())));
      return route.continue();
    });
  }
  if (globalPrivacyControl) {
    await page.setExtraHTTPHeaders({ "Sec-GPC": "1" });
    // No named function inside: tsx would wrap it in a helper the page lacks.
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { value: true }));
  }
  if (storage) {
    await page.addInitScript(
      ({ origin, entries }) => {
        if (location.origin === origin) for (const [key, value] of entries) localStorage.setItem(key, value);
      },
      { origin: new URL(url).origin, entries: Object.entries(storage) },
    );
  }
  if (contextOptions.javaScriptEnabled !== false) {
    // Runs before the page's own scripts and is not subject to its policy.
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
      });
    });
  }
  page.on("console", (message) => {
    if (message.type() === "error") visit.problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => visit.problems.push(`page error: ${error.message}`));

  await page.goto(url, { waitUntil: "load" });
  const portalSite = new URL(portalOrigin).hostname.split(".").slice(-2).join(".");
  const portalCookies = async () =>
    (await context.cookies())
      .filter((cookie) => cookie.domain.replace(/^\./, "").endsWith(portalSite) && !matomoOrigin.endsWith(cookie.domain.replace(/^\./, "")))
      .map((cookie) => `${cookie.domain} ${cookie.name}`);
  const close = async () => {
    if (fresh) await context.close();
  };
  return { page, context, matomo: visit.matomo, problems: visit.problems, portalCookies, close };
}

/** Scrolls to the end of the page a screen at a time, as a reader would, then waits until every image shown has loaded. */
export async function scrollToEnd(page: Page): Promise<void> {
  // No named functions inside evaluate(): tsx would wrap them in a helper the page lacks.
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight / 2) {
      window.scrollTo(0, y);
      for (let frames = 0; frames < 2; frames++) await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  });
  await page.waitForFunction(() => [...document.images].filter((img) => img.checkVisibility()).every((img) => img.complete));
}

/** The layout shift since the page started loading, shifts right after input left out (the Cumulative Layout Shift of the visit). */
export function layoutShift(page: Page): Promise<number> {
  return page.evaluate(async () => {
    type Shift = PerformanceEntry & { value: number; hadRecentInput: boolean };
    const shifts: Shift[] = [];
    const observer = new PerformanceObserver((list) => shifts.push(...(list.getEntries() as Shift[])));
    observer.observe({ type: "layout-shift", buffered: true });
    // The buffered entries come in the observer's first callback, queued by observe(): two frames later it has run.
    for (let frames = 0; frames < 2; frames++) await new Promise((resolve) => requestAnimationFrame(resolve));
    shifts.push(...(observer.takeRecords() as Shift[]));
    observer.disconnect();
    return shifts.filter((shift) => !shift.hadRecentInput).reduce((sum, shift) => sum + shift.value, 0);
  });
}
