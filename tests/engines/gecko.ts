// Debian's Firefox ESR, driven over WebDriver BiDi by puppeteer-core: no
// browser download. Each launch gets a profile of its own with the prefs a
// test is about (third-party cookies, Do Not Track, Global Privacy Control,
// the colour scheme), and reaches the test hosts through their proxy only.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import puppeteer, { type Browser, type BrowserContext, type Page } from "puppeteer-core";
import { toolsMissing } from "../../scripts/harness/tools.ts";
import { sharedBuild } from "../helpers/build.ts";
import { matomoOrigin, privacyUrl, startEngineHosts, type EngineHosts } from "./hosts.ts";
import type { TrackingRecord } from "../../scripts/harness/matomo/stand-in.ts";

export const firefoxPath = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";

/** Why the Gecko tests cannot run here, or undefined when they can. In CI they must. */
export const geckoMissing = () =>
  toolsMissing("the engine tests", [
    { name: "Firefox", path: firefoxPath, debianPackage: "firefox-esr", variable: "FIREFOX_PATH" },
  ]);

/** Firefox's own settings, by what the tests call them. */
export interface GeckoSettings {
  /** network.cookie.cookieBehavior: 0 allows third-party cookies, 1 blocks them, 5 partitions them (Total Cookie Protection, Firefox's default). */
  thirdPartyCookies?: "allowed" | "blocked" | "partitioned";
  doNotTrack?: boolean;
  globalPrivacyControl?: boolean;
  colorScheme?: "light" | "dark";
}

const cookieBehavior = { allowed: 0, blocked: 1, partitioned: 5 };

/** Profiles made and not yet removed: removed also when this process exits, however it exits (puppeteer ends Firefox on a signal). */
const profiles = new Set<string>();
const removeProfiles = () => {
  for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
};
process.once("exit", removeProfiles);

/** A Firefox with a profile of its own; closing it removes the profile. */
export async function launchFirefox(hosts: EngineHosts, settings: GeckoSettings = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "privacy-firefox-"));
  profiles.add(profile);
  const browser = await puppeteer
    .launch({
      userDataDir: profile,
      browser: "firefox",
      executablePath: firefoxPath,
      headless: true,
      // The test hosts' throwaway certificate.
      acceptInsecureCerts: true,
      extraPrefsFirefox: {
        "network.proxy.type": 1,
        "network.proxy.ssl": "127.0.0.1",
        "network.proxy.ssl_port": hosts.proxyPort,
        "network.proxy.http": "127.0.0.1",
        "network.proxy.http_port": hosts.proxyPort,
        "network.proxy.no_proxies_on": "",
        "network.cookie.cookieBehavior": cookieBehavior[settings.thirdPartyCookies ?? "partitioned"],
        "privacy.donottrackheader.enabled": settings.doNotTrack ?? false,
        "privacy.globalprivacycontrol.enabled": settings.globalPrivacyControl ?? false,
        "privacy.globalprivacycontrol.functionality.enabled": true,
        // 0: dark, 1: light, as a system setting would make it.
        "layout.css.prefers-color-scheme.content-override": settings.colorScheme === "dark" ? 0 : 1,
      },
    })
    .catch((error: unknown) => {
      rmSync(profile, { recursive: true, force: true });
      throw error;
    });
  browser.once("disconnected", () => {
    rmSync(profile, { recursive: true, force: true });
    profiles.delete(profile);
  });
  return browser;
}

/** One visit: a fresh private context and its page. */
export interface FirefoxVisit {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and security-policy violations. */
  problems: string[];
  /** How many tracking requests the page sent, as WebDriver BiDi saw them leave. */
  sent(): number;
  /** The tracking requests Matomo's stand-in answered since the visit began. */
  views(): TrackingRecord[];
}

/**
 * For the suite it is called in: the engine hosts serving the shared build, and visits of them, each in a
 * private context of its own, in one Firefox for each set of settings (a launch costs seconds). All end after
 * the suite.
 */
export function firefoxSuite() {
  let hosts: EngineHosts;
  const firefoxes = new Map<string, Promise<Browser>>();
  before(async () => {
    hosts = await startEngineHosts((await sharedBuild()).folder);
  });
  after(async () => {
    await Promise.all([...firefoxes.values()].map(async (firefox) => (await firefox).close()));
    await hosts?.close();
  });
  return {
    /** Hosts the proxy refused: anything a page asked for off the machine. */
    refused: () => hosts.refused,
    async visit(settings: GeckoSettings, url = privacyUrl): Promise<FirefoxVisit> {
      const { thirdPartyCookies = "partitioned", colorScheme = "light", ...signals } = settings;
      const key = JSON.stringify({ thirdPartyCookies, colorScheme, ...signals });
      if (!firefoxes.has(key)) firefoxes.set(key, launchFirefox(hosts, settings));
      const context = await (await firefoxes.get(key)!).createBrowserContext();
      const page = await context.newPage();
      const problems: string[] = [];
      let sent = 0;
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console error: ${message.text()}`);
      });
      page.on("pageerror", (error) =>
        problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`),
      );
      page.on("request", (request) => {
        if (request.url().startsWith(`${matomoOrigin}/matomo.php?`)) sent++;
      });
      await page.evaluateOnNewDocument(() => {
        document.addEventListener("securitypolicyviolation", (event) =>
          console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`),
        );
      });
      const tracked = hosts.tracking.length;
      await page.goto(url, { waitUntil: "load" });
      return { context, page, problems, sent: () => sent, views: () => hosts.tracking.slice(tracked) };
    },
  };
}
