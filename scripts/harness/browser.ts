// Debian's Chromium, driven by puppeteer-core: no browser download. Two
// builds of it, the same version (ChromiumBuild): the browser where its own
// settings are the point (the opt-out: third-party cookies, Do Not Track,
// Matomo's popups), and the headless shell everywhere else, the same Blink,
// V8 and network stack without the browser around them, at a lower cost per
// visit. Pages load from the test's own servers: the built site on the
// portal's real origin or on a loopback port, and the Matomo stand-in on
// Matomo's real origin (see test-hosts.ts). Chromium resolves no other host,
// and a request for one is recorded as a problem, so a test fails if the
// page tries to leave the machine.
//
// One Chromium per test file, and one tab in it for each profile the tests
// ask for: every visit loads in that tab, after its state is cleared
// (cookies, storage, cache, scripts, headers, emulation, other windows): a
// new tab costs Chromium several times what a navigation does. Where a
// Chromium profile setting is the point (third-party cookies allowed, Do Not
// Track), the tab is in a browser launched with a profile of its own.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import type { RequestListener } from "node:http";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, CDPSession, Frame, Page, Viewport } from "puppeteer-core";
import { loadSite } from "../../lib/site.ts";
import { matomoStandIn, outcomeHeader, type Outcome } from "./matomo/stand-in.ts";
import { siteHandler } from "../../lib/static-server.ts";
import { startTestHosts } from "./test-hosts.ts";
import { toolsMissing, type Tool } from "./tools.ts";

/**
 * "browser": Chromium itself, with profiles and their settings as a visitor's
 * has them; "headless-shell": the engine alone, which ignores those settings
 * (any Chromium can stand in for it, as on GitHub's runners).
 */
export type ChromiumBuild = "browser" | "headless-shell";
export const chromiumBuilds: Record<ChromiumBuild, Tool> = {
  browser: {
    name: "Chromium",
    path: process.env.CHROME_PATH ?? "/usr/bin/chromium",
    debianPackage: "chromium",
    variable: "CHROME_PATH",
  },
  "headless-shell": {
    name: "Chromium's headless shell",
    path: process.env.CHROME_HEADLESS_SHELL_PATH ?? "/usr/bin/chromium-headless-shell",
    debianPackage: "chromium-headless-shell",
    variable: "CHROME_HEADLESS_SHELL_PATH",
  },
};
/** The axe-core rule tags every page is checked against: WCAG 2.2 A and AA, and best practices. */
export const wcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];
const site = loadSite();
export const portalOrigin = site.origin;
export const matomoOrigin = site.matomo.origin;

/** Why the browser tests cannot run here, or undefined when they can. In CI they must. */
export const browserMissing = (build: ChromiumBuild = "headless-shell") =>
  toolsMissing("the browser tests", [chromiumBuilds[build]]);

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
  served: string[];
}

const newVisit = (): Visit => ({
  allowed: new Set(),
  problems: [],
  matomo: { requests: [], pageViews: [] },
  served: [],
});

/** The tab kept for one profile: each visit with its settings loads in it. */
interface Tab {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  /** What the visit in progress records. */
  visit: Visit;
  /** How long the test hosts hold back each response of the visit, by URL. */
  delay?: (url: string) => number;
  /** The visit's own scripts to run before the page's, removed before the next visit. */
  scripts: string[];
}

/** The Chromium that opens a test's pages, and the hosts they are served from. */
export interface TestBrowser {
  /** The tab for the profile with these settings, cleared of all an earlier visit left there. */
  tab(profile: Pick<PageOptions, "thirdPartyCookies" | "doNotTrack">): Promise<Tab>;
  /** Ends the browsers, their profiles and the hosts. */
  close(): Promise<void>;
}

/** As root Chromium needs --no-sandbox; the rest keep it off the network and quiet (puppeteer adds its own). */
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-component-update",
  // No spare renderer kept warm for the next page: on two cores it only takes CPU from the page in hand. No omnibox
  // popups: Chromium itself (not the shell) keeps them ready in every window, as pages of its own UI that animate
  // without end, at about two-thirds of a core while the browser is idle, though no one can type in headless.
  "--disable-features=SpareRendererForSitePerProcess,WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup",
];

/** The window each visit starts with. */
const defaultViewport: Viewport = { width: 1280, height: 720 };

/** The system's settings a page can be shown with, as CSS media: see PageOptions. */
export interface Media {
  media?: "print";
  colorScheme?: "light" | "dark";
  contrast?: "more";
  forcedColors?: "active";
}

/** Emulates exactly `media` (one CDP command: puppeteer's two would each undo the other's). */
const emulateMedia = (cdp: CDPSession, { media, colorScheme, contrast, forcedColors }: Media) =>
  cdp.send("Emulation.setEmulatedMedia", {
    media: media ?? "",
    features: [
      { name: "prefers-color-scheme", value: colorScheme ?? "" },
      { name: "prefers-contrast", value: contrast ?? "" },
      { name: "forced-colors", value: forcedColors ?? "" },
    ],
  });

/** `portal`: a built site to serve on the portal's origin, and on each of `mirrors` (origins of other sites); `build`: which Chromium. */
export async function launchChromium({
  portal,
  mirrors = [],
  build = "headless-shell",
}: { portal?: string; mirrors?: string[]; build?: ChromiumBuild } = {}): Promise<TestBrowser> {
  // puppeteer, slow to load, only where a browser runs, not in every file that asks browserMissing().
  const { default: puppeteer } = await import("puppeteer-core");
  const tabs = new Map<string, Promise<Tab>>();
  /** The tab of the visit in progress: one at a time, as a file's tests run. */
  let active: Tab | undefined;
  // The server holds a response back, so the browser's cache works as it would (intercepting in the browser turns it off).
  const heldBack =
    (handler: RequestListener): RequestListener =>
    (request, response) => {
      const url = `https://${request.headers.host}${request.url}`;
      active?.visit.served.push(url);
      const wait = active?.delay?.(url) ?? 0;
      if (wait > 0) setTimeout(() => handler(request, response), wait);
      else handler(request, response);
    };
  const sites = portal
    ? [portalOrigin, ...mirrors].map((origin) => [origin, heldBack(siteHandler(portal))] as const)
    : [];
  const hosts = await startTestHosts({ [matomoOrigin]: heldBack(matomoStandIn()), ...Object.fromEntries(sites) });
  const browsers: Promise<Browser>[] = [];
  /** The browser without a profile of its own, for the tab without a profile setting. */
  let plain: Promise<Browser> | undefined;
  const profileFolders: string[] = [];
  const launch = (userDataDir?: string) => {
    const launched = puppeteer.launch({
      executablePath: chromiumBuilds[build].path,
      headless: build === "headless-shell" ? "shell" : true,
      args: [...chromiumArgs, ...hosts.chromiumArgs],
      defaultViewport,
      userDataDir,
    });
    browsers.push(launched);
    return launched;
  };

  /** A browser with a profile of its own with the setting: third-party cookies blocked or allowed, Do Not Track on or off. */
  async function profile(thirdPartyCookies: "allowed" | "blocked", doNotTrack: boolean): Promise<BrowserContext> {
    const folder = mkdtempSync(join(tmpdir(), "privacy-chromium-"));
    profileFolders.push(folder);
    mkdirSync(join(folder, "Default"));
    writeFileSync(
      join(folder, "Default", "Preferences"),
      JSON.stringify({
        enable_do_not_track: doNotTrack,
        profile: { cookie_controls_mode: thirdPartyCookies === "blocked" ? 1 : 0 },
      }),
    );
    return (await launch(folder)).defaultBrowserContext();
  }

  /**
   * Records what each request of the page does for the visit in progress; a
   * request for another host is a problem (Chromium refuses to resolve it).
   * So are console errors, page errors and security-policy violations.
   */
  function record(page: Page, tab: Tab) {
    page.on("request", (request) => {
      if (!tab.visit.allowed.has(new URL(request.url()).origin))
        tab.visit.problems.push(`request off the machine: ${request.url()}`);
      if (request.url().startsWith(`${matomoOrigin}/`)) tab.visit.matomo.requests.push(request.url());
    });
    page.on("response", (response) => {
      const outcome = response.headers()[outcomeHeader];
      if (outcome) tab.visit.matomo.pageViews.push({ url: new URL(response.url()), outcome: outcome as Outcome });
      if (response.status() >= 400) tab.visit.problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    page.on("requestfailed", (request) => {
      // ERR_ABORTED: the browser itself gave the request up, as it does with a favicon when the page navigates.
      if (request.failure()?.errorText === "net::ERR_ABORTED") return;
      if (!tab.visit.problems.some((p) => p.endsWith(request.url())))
        tab.visit.problems.push(`failed request: ${request.url()} ${request.failure()?.errorText}`);
    });
    page.on("console", (message) => {
      if (message.type() === "error") tab.visit.problems.push(`console error: ${message.text()}`);
    });
    page.on("pageerror", (error) =>
      tab.visit.problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  async function openTab(context: BrowserContext): Promise<Tab> {
    const page = (await context.pages())[0] ?? (await context.newPage());
    const tab: Tab = { context, page, cdp: await page.createCDPSession(), visit: newVisit(), scripts: [] };
    record(page, tab);
    // Matomo's popups, and the other tabs a test opens.
    context.on("targetcreated", async (target) => {
      const opened = await target.page();
      if (opened) record(opened, tab);
    });
    // Runs before the page's own scripts and is not subject to its policy.
    await page.evaluateOnNewDocument(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
      });
    });
    return tab;
  }

  /** Leaves nothing of the visit before: its windows, document, scripts, headers, emulation, cookies, storage and cache. */
  async function clear(tab: Tab): Promise<void> {
    const { context, page, cdp } = tab;
    await Promise.all(
      (await context.pages()).filter((other) => other !== page && !other.isClosed()).map((other) => other.close()),
    );
    // The page leaves its document itself: a navigation the page starts keeps its renderer process, where
    // goto("about:blank") would start one for the blank page and another for the next visit.
    if (page.url() !== "about:blank")
      await Promise.all([page.waitForNavigation(), page.evaluate(() => location.replace("about:blank"))]);
    await Promise.all(tab.scripts.splice(0).map((script) => page.removeScriptToEvaluateOnNewDocument(script)));
    await page.setExtraHTTPHeaders({});
    await page.setJavaScriptEnabled(true);
    await emulateMedia(cdp, {});
    await context.deleteCookie(...(await context.cookies()));
    await cdp.send("Network.clearBrowserCache");
    for (const origin of new Set([portalOrigin, matomoOrigin, ...mirrors, ...tab.visit.allowed])) {
      await cdp.send("Storage.clearDataForOrigin", { origin, storageTypes: "all" });
    }
    tab.visit = newVisit();
    tab.delay = undefined;
  }

  return {
    async tab({ thirdPartyCookies, doNotTrack = false }) {
      // The shell has no such settings, and would pass a test of them by ignoring them.
      if (build !== "browser" && (thirdPartyCookies !== undefined || doNotTrack)) {
        throw new Error(
          'the headless shell has no third-party cookie or Do Not Track setting: launch with { build: "browser" }',
        );
      }
      // Chromium blocks third-party cookies in a context without a profile: the tab without a setting has them blocked.
      const inProfile = thirdPartyCookies === "allowed" || doNotTrack;
      const cookies = thirdPartyCookies ?? "blocked";
      const key = inProfile ? `profile ${cookies} ${doNotTrack}` : "";
      if (!tabs.has(key)) {
        const context = inProfile
          ? profile(cookies, doNotTrack)
          : (plain ??= launch()).then((launched) => launched.createBrowserContext());
        tabs.set(key, context.then(openTab));
      }
      const tab = await tabs.get(key)!;
      await clear(tab);
      return (active = tab);
    },
    close: async () => {
      await Promise.all(browsers.map(async (launched) => (await launched).close()));
      await hosts.close();
      await Promise.all(profileFolders.map((folder) => rm(folder, { recursive: true, force: true })));
    },
  };
}

export interface PageOptions extends Omit<Media, "media"> {
  /** Chromium's setting: "blocked" is a fresh context's default (the tab without a profile); "allowed", what most browsers still do, a profile with it. */
  thirdPartyCookies?: "allowed" | "blocked";
  /** Chromium's own Do Not Track setting: sends DNT: 1 and sets navigator.doNotTrack. */
  doNotTrack?: boolean;
  /** Global Privacy Control, which Chromium lacks: Sec-GPC: 1 and navigator.globalPrivacyControl, as Firefox and Brave send them. */
  globalPrivacyControl?: boolean;
  /** Holds back the response to each URL this says, by that many milliseconds (the test hosts do). */
  delay?: (url: string) => number;
  /** What the portal's origin has in localStorage when each page starts, such as { bsTheme: "dark" }. */
  storage?: Record<string, string>;
  javaScriptEnabled?: boolean;
  viewport?: Viewport;
}

export interface LoadedPage {
  page: Page;
  context: BrowserContext;
  matomo: MatomoTraffic;
  /** Console errors, failed requests, error responses, security-policy violations, requests off the machine. */
  problems: string[];
  /** Every URL the test hosts answered: what the browser took from its cache is not there. */
  served: string[];
  /** Cookies the browser holds for the portal's site, Matomo's host aside. */
  portalCookies(): Promise<string[]>;
  /** Shows the page with these system settings from now on (print, colour scheme, contrast, forced colours). */
  emulate(media: Media): Promise<void>;
}

/** Opens `url` in the tab for its settings, cleared for it; the visit lasts until the next one in that tab. */
export async function openPage(browser: TestBrowser, url: string, options: PageOptions = {}): Promise<LoadedPage> {
  const {
    thirdPartyCookies,
    doNotTrack,
    globalPrivacyControl = false,
    delay,
    storage,
    javaScriptEnabled = true,
    viewport = defaultViewport,
    ...media
  } = options;
  const tab = await browser.tab({ thirdPartyCookies, doNotTrack });
  const { page, context, visit, cdp } = tab;
  visit.allowed = new Set([new URL(url).origin, portalOrigin, matomoOrigin]);
  await page.setViewport(viewport);
  await page.setJavaScriptEnabled(javaScriptEnabled);
  await emulateMedia(cdp, media);
  tab.delay = delay;
  if (globalPrivacyControl) {
    await page.setExtraHTTPHeaders({ "Sec-GPC": "1" });
    const { identifier } = await page.evaluateOnNewDocument(() =>
      Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { value: true }),
    );
    tab.scripts.push(identifier);
  }
  if (storage) {
    const { identifier } = await page.evaluateOnNewDocument(
      (origin, entries) => {
        if (location.origin === origin) for (const [key, value] of entries) localStorage.setItem(key, value);
      },
      new URL(url).origin,
      Object.entries(storage),
    );
    tab.scripts.push(identifier);
  }

  await page.goto(url, { waitUntil: "load" });
  const portalSite = new URL(portalOrigin).hostname.split(".").slice(-2).join(".");
  const portalCookies = async () =>
    (await context.cookies())
      .filter(
        (cookie) =>
          cookie.domain.replace(/^\./, "").endsWith(portalSite) &&
          !matomoOrigin.endsWith(cookie.domain.replace(/^\./, "")),
      )
      .map((cookie) => `${cookie.domain} ${cookie.name}`);
  return {
    page,
    context,
    matomo: visit.matomo,
    problems: visit.problems,
    served: visit.served,
    portalCookies,
    emulate: (shown) => emulateMedia(cdp, shown),
  };
}

/** Matomo's opt-out form in the page's frame, once `selector` shows in it. */
export async function optOutForm(page: Page, selector = "#trackVisits"): Promise<Frame> {
  const frame = (await (await page.waitForSelector("#matoOpOut"))!.contentFrame())!;
  await frame.waitForSelector(selector);
  return frame;
}

/** Whether the first element `selector` finds in `page` (or a frame) shows; false when there is none. */
export async function isShown(page: Page | Frame, selector: string): Promise<boolean> {
  return (await (await page.$(selector))?.isVisible()) ?? false;
}

/** Scrolls to the end of the page a screen at a time, as a reader would, then waits until every image shown has loaded. */
export async function scrollToEnd(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight / 2) {
      window.scrollTo(0, y);
      for (let frames = 0; frames < 2; frames++) await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  });
  await page.waitForFunction(() =>
    [...document.images].filter((img) => img.checkVisibility()).every((img) => img.complete),
  );
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
