// The page and the opt-out in Gecko (Debian's Firefox ESR), against the same
// Matomo stand-in as in Chromium: each of Firefox's third-party cookie
// settings, and the page's core checks in light and dark. Its Do Not Track
// and Global Privacy Control settings: gecko-signals.test.ts, beside this.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { BrowserContext, Frame, Page } from "puppeteer-core";
import { eventually } from "../helpers/eventually.ts";
import { firefoxSuite, geckoMissing, type FirefoxVisit, type GeckoSettings } from "./gecko.ts";
import { matomoOrigin, otherPageUrl, portalOrigin, privacyUrl } from "./hosts.ts";
import { loadSite } from "../../lib/site.ts";

const portalHost = new URL(portalOrigin).hostname;
const optOutFrame = async (page: Page): Promise<Frame> => {
  const element = await page.waitForSelector("#matoOpOut");
  const frame = (await element!.contentFrame())!;
  await frame.waitForSelector("html[data-page-answered]");
  return frame;
};

/** Waits until matomo.js has run and every tracking request the page sent (as WebDriver BiDi saw it leave) has reached the stand-in. */
async function settled({ page, sent, views }: FirefoxVisit) {
  await page.waitForFunction(() => "Matomo" in window);
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
  const firefox = firefoxSuite();

  for (const thirdPartyCookies of ["partitioned", "blocked", "allowed"] as const) {
    test(`third-party cookies ${thirdPartyCookies}: a first visit is counted without a cookie; unchecking stops counting on this and another page; checking again counts again, cookieless`, async () => {
      const visited = await firefox.visit({ thirdPartyCookies, colorScheme: darkWith(thirdPartyCookies) });
      const { context, page, problems, views } = visited;
      try {
        await settled(visited);
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
          await settled(visited);
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
        await settled(visited);
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

  for (const colorScheme of ["light", "dark"] as const) {
    test(`${colorScheme}: the page renders in the system's scheme with Matomo's form in it, every image shown loads, and nothing leaves the machine`, async () => {
      const { context, page, problems } = await firefox.visit({
        colorScheme,
        thirdPartyCookies: cookiesWith(colorScheme),
      });
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
          firefox.refused().filter((host) => host.includes("scilifelab")),
          [],
        );
      } finally {
        await context.close();
      }
    });
  }
});
