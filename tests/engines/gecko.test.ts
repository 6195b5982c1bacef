// The page and the opt-out in Gecko (Debian's Firefox ESR), against the same
// Matomo stand-in as in Chromium: each of Firefox's third-party cookie
// settings, its own Do Not Track and Global Privacy Control settings, and
// the page's core checks in light and dark.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Frame, Page } from "puppeteer-core";
import { sharedBuild } from "../helpers/build.ts";
import { eventually } from "../helpers/eventually.ts";
import { geckoMissing, launchFirefox, type GeckoSettings } from "./gecko.ts";
import { matomoOrigin, otherPageUrl, portalOrigin, privacyUrl, startEngineHosts, type EngineHosts } from "./hosts.ts";
import { loadSite } from "../../lib/site.ts";

const { privacySignalNotice } = loadSite().matomo;
const portalHost = new URL(portalOrigin).hostname;
let hosts: EngineHosts;
/** The tracking requests each page sent since its visit began. */
const trackingSent = new WeakMap<Page, number>();

/** One Firefox for each set of settings the tests use (a launch costs seconds), closed after the tests. */
const firefoxes = new Map<string, Promise<Browser>>();
function firefoxWith(settings: GeckoSettings): Promise<Browser> {
  const { thirdPartyCookies = "partitioned", colorScheme = "light", ...signals } = settings;
  const key = JSON.stringify({ thirdPartyCookies, colorScheme, ...signals });
  if (!firefoxes.has(key)) firefoxes.set(key, launchFirefox(hosts, settings));
  return firefoxes.get(key)!;
}

/** A fresh private context in a Firefox with `settings`, its page, and the problems the page reports. */
async function visit(settings: GeckoSettings, url = privacyUrl) {
  const context = await (await firefoxWith(settings)).createBrowserContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) =>
    problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`),
  );
  page.on("request", (request) => {
    if (request.url().startsWith(`${matomoOrigin}/matomo.php?`))
      trackingSent.set(page, (trackingSent.get(page) ?? 0) + 1);
  });
  await page.evaluateOnNewDocument(() => {
    document.addEventListener("securitypolicyviolation", (event) =>
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`),
    );
  });
  const tracked = hosts.tracking.length;
  await page.goto(url, { waitUntil: "load" });
  return { context, page, problems, views: () => hosts.tracking.slice(tracked) };
}

const optOutFrame = async (page: Page): Promise<Frame> => {
  const element = await page.waitForSelector("#matoOpOut");
  const frame = (await element!.contentFrame())!;
  await frame.waitForSelector("html[data-page-answered]");
  return frame;
};

/** Waits until matomo.js has run and every tracking request the page sent (as WebDriver BiDi saw it leave) has reached the stand-in. */
async function settled(page: Page, views: () => unknown[]) {
  await page.waitForFunction(() => "Matomo" in window);
  const sent = () => trackingSent.get(page) ?? 0;
  await eventually(() => sent() === views().length, "every tracking request reached Matomo").catch((error: Error) => {
    throw new Error(`${error.message}: the page sent ${sent()}, Matomo answered ${views().length}`);
  });
}

/** Clicks Matomo's checkbox in the frame, as a visitor does; Matomo's popup does its work and closes; no warning shows. */
async function toggle(context: BrowserContext, page: Page, expectChecked: boolean) {
  const frame = await optOutFrame(page);
  const pages = (await context.pages()).length;
  await (await frame.waitForSelector("#trackVisits"))!.click();
  await eventually(
    async () =>
      (await frame.$eval("#trackVisits", (box) => (box as HTMLInputElement).checked)) === expectChecked &&
      (await context.pages()).length === pages,
    "Matomo's popup did its work and closed",
  );
  for (const warning of ["#textError_popupBlocker", "#textError_https"]) {
    assert.equal(
      await frame.$eval(warning, (element) => getComputedStyle(element).display),
      "none",
      `Matomo's form shows ${warning}`,
    );
  }
}

// The page checks share the cookie tests' Firefoxes: its defaults (partitioned, light), and blocked cookies in dark.
const darkWith = (cookies: GeckoSettings["thirdPartyCookies"]) => (cookies === "blocked" ? "dark" : "light");
const cookiesWith = (scheme: GeckoSettings["colorScheme"]) => (scheme === "dark" ? "blocked" : "partitioned");

const portalCookies = async (page: Page) =>
  (await page.cookies(portalOrigin))
    .filter((cookie) => cookie.domain.replace(/^\./, "").endsWith(portalHost))
    .map((cookie) => cookie.name);

describe("the page and the opt-out in Gecko (Firefox ESR)", { skip: geckoMissing() }, () => {
  before(async () => {
    hosts = await startEngineHosts((await sharedBuild()).folder);
  });
  after(async () => {
    await Promise.all([...firefoxes.values()].map(async (firefox) => (await firefox).close()));
    await hosts?.close();
  });

  for (const thirdPartyCookies of ["partitioned", "blocked", "allowed"] as const) {
    test(`third-party cookies ${thirdPartyCookies}: a first visit is counted without a cookie; unchecking stops counting on this and another page; checking again counts again, cookieless`, async () => {
      const { context, page, problems, views } = await visit({
        thirdPartyCookies,
        colorScheme: darkWith(thirdPartyCookies),
      });
      try {
        await settled(page, views);
        assert.deepEqual(
          views().map((view) => view.outcome),
          ["recorded"],
        );
        assert.deepEqual(await portalCookies(page), []);

        await toggle(context, page, false);
        const optedOut = views().length;
        for (const url of [privacyUrl, otherPageUrl]) {
          await page.goto(url, { waitUntil: "load" });
          await page.waitForFunction(() => "Matomo" in window);
          if (url === privacyUrl)
            assert.equal(
              await (await optOutFrame(page)).$eval("#trackVisits", (box) => (box as HTMLInputElement).checked),
              false,
              "the form forgot the opt-out",
            );
          await settled(page, views);
          assert.deepEqual(
            views()
              .slice(optedOut)
              .filter((view) => view.outcome === "recorded"),
            [],
            `a view of ${url} was recorded`,
          );
        }

        await page.goto(privacyUrl, { waitUntil: "load" });
        await toggle(context, page, true);
        const optedIn = views().length;
        await page.goto(privacyUrl, { waitUntil: "load" });
        await settled(page, views);
        assert.deepEqual(
          views()
            .slice(optedIn)
            .map((view) => view.outcome),
          ["recorded"],
        );
        assert.deepEqual(await portalCookies(page), []);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  for (const [signal, settings] of [
    ["Do Not Track", { doNotTrack: true }],
    ["Global Privacy Control", { globalPrivacyControl: true }],
  ] as const) {
    test(`Firefox's own ${signal} setting: the visit is not counted, and the page says so`, async () => {
      const { context, page, problems, views } = await visit(settings);
      try {
        // The tracker's decision: it shows the notice and loads no matomo.js at all.
        await page.waitForSelector(".privacy-signal:not([hidden])");
        assert.equal(await page.$eval(".privacy-signal", (element) => element.textContent), privacySignalNotice);
        assert.deepEqual(
          await page.evaluate(() =>
            performance
              .getEntriesByType("resource")
              .map((entry) => entry.name)
              .filter((name) => /matomo\.(js|php)/.test(name)),
          ),
          [],
        );
        assert.deepEqual(views(), []);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  for (const colorScheme of ["light", "dark"] as const) {
    test(`${colorScheme}: the page renders in the system's scheme with Matomo's form in it, every image shown loads, and nothing leaves the machine`, async () => {
      const { context, page, problems } = await visit({ colorScheme, thirdPartyCookies: cookiesWith(colorScheme) });
      try {
        assert.equal(await page.title(), `${await page.$eval("h1", (h1) => h1.textContent)} | ${loadSite().title}`);
        const theme = await page.evaluate(() => document.documentElement.getAttribute("data-bs-theme"));
        assert.equal(theme, colorScheme);
        const frame = await optOutFrame(page);
        assert.match(frame.url(), colorScheme === "dark" ? /backgroundColor=/ : /^(?!.*backgroundColor=)/);
        await page.evaluate(async () => {
          for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
            scrollTo(0, y);
            await new Promise((resolve) => requestAnimationFrame(resolve));
          }
        });
        await page.waitForFunction(() =>
          [...document.images]
            .filter((img) => img.checkVisibility())
            .every((img) => img.complete && img.naturalWidth > 0),
        );
        const origins = await page.evaluate(() => [
          ...new Set(performance.getEntriesByType("resource").map((entry) => new URL(entry.name).origin)),
        ]);
        assert.deepEqual(
          origins.filter((origin) => origin !== portalOrigin && origin !== matomoOrigin),
          [],
        );
        assert.deepEqual(problems, []);
        assert.deepEqual(
          hosts.refused.filter((host) => host.includes("scilifelab")),
          [],
        );
      } finally {
        await context.close();
      }
    });
  }
});
