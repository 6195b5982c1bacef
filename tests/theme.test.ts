// The portal's look in Chromium: the light and dark themes the portal shares
// through localStorage "bsTheme", the Theme control by keyboard, images and
// fonts that load without moving the page, and screenshots to hold beside
// the live portal.
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import type { Page } from "puppeteer-core";
import { optOutUrl, type Theme } from "../lib/matomo.ts";
import { loadSite } from "../lib/site.ts";
import { sharedBuild } from "./helpers/build.ts";
import { eventually } from "./helpers/eventually.ts";
import { readPolicy } from "./helpers/policy.ts";
import {
  browserMissing,
  isShown,
  launchChromium,
  layoutShift,
  openPage,
  optOutForm,
  portalOrigin,
  scrollToEnd,
  type TestBrowser,
} from "../scripts/harness/browser.ts";

const url = `${portalOrigin}/privacy/`;
const screenshots = "tests/screenshots";
let browser: TestBrowser;

/** The theme the page shows: its attribute, background, and which logo is visible. */
const shownTheme = (page: Page) =>
  page.evaluate(() => {
    const visible = [...document.querySelectorAll("header .brand img")]
      .filter((img) => img.checkVisibility())
      .map((img) => (img.classList.contains("dark-only") ? "dark" : "light"));
    return {
      attribute: document.documentElement.getAttribute("data-bs-theme"),
      background: getComputedStyle(document.body).backgroundColor,
      logo: visible,
    };
  });

const backgrounds = { light: "rgb(255, 255, 255)", dark: "rgb(33, 33, 33)" };
const { matomo } = loadSite();
const { lang } = readPolicy().data;
/** The opt-out frame's URL in each theme, from the site data. */
const frameUrl = (theme: Theme) => optOutUrl(matomo, lang, theme);
/** A colour of the site data's ("2b3035") as the browser computes it. */
const rgb = (hex: string) =>
  `rgb(${[0, 2, 4].map((at) => parseInt(hex.padEnd(6, hex).slice(at, at + 2), 16)).join(", ")})`;
/** The opt-out pages the browser asked Matomo for (the frame's, not the popup's). */
const framesLoaded = (requests: string[]) =>
  requests.filter((url) => url.includes("action=optOut") && !url.includes("setCookieInNewWindow"));

/** Scrolls to the end, so lazy images load, then sums the layout shifts since the page started. */
async function shiftOverVisit(page: Page): Promise<number> {
  await scrollToEnd(page);
  return layoutShift(page);
}

describe("the portal's themes and look in Chromium", { skip: browserMissing() }, () => {
  before(async () => {
    const site = await sharedBuild();
    browser = await launchChromium({ portal: site.folder });
    await mkdir(screenshots, { recursive: true });
  });
  after(() => browser?.close());

  for (const stored of [undefined, "light", "dark"] as const) {
    for (const system of ["light", "dark"] as const) {
      const expected = stored ?? system;
      test(`stored ${stored ?? "nothing"}, system ${system}: the page is ${expected} from the first paint, Matomo's form loads once in that theme, and the page stores nothing itself`, async () => {
        const {
          page,
          matomo: traffic,
          problems,
        } = await openPage(browser, url, { colorScheme: system, ...(stored ? { storage: { bsTheme: stored } } : {}) });
        assert.deepEqual(await shownTheme(page), {
          attribute: expected,
          background: backgrounds[expected],
          logo: [expected],
        });
        assert.equal(await page.evaluate(() => localStorage.getItem("bsTheme")), stored ?? null);
        const form = await optOutForm(page);
        assert.deepEqual(framesLoaded(traffic.requests), [frameUrl(expected)]);
        assert.equal(form.url(), frameUrl(expected));
        const colours = await form.evaluate(() => [
          getComputedStyle(document.body).color,
          getComputedStyle(document.body).backgroundColor,
        ]);
        const dark = { ...matomo.optOut, ...matomo.optOutDark };
        if (expected === "dark") assert.deepEqual(colours, [rgb(dark.fontColor!), rgb(dark.backgroundColor!)]);
        else assert.notEqual(colours[1], rgb(dark.backgroundColor!));
        assert.deepEqual(problems, []);
      });
    }
  }

  for (const system of ["light", "dark"] as const) {
    test(`without JavaScript the page follows the system's ${system} scheme, shows no Theme control, and Matomo's light form`, async () => {
      const {
        page,
        matomo: traffic,
        problems,
      } = await openPage(browser, url, { colorScheme: system, javaScriptEnabled: false });
      assert.deepEqual(await shownTheme(page), { attribute: null, background: backgrounds[system], logo: [system] });
      assert.equal(
        await page.$$eval("[data-theme-control]", (controls) => controls.filter((c) => c.checkVisibility()).length),
        0,
      );
      // The page's own <noscript> frame: Matomo's light form.
      await optOutForm(page);
      assert.deepEqual(framesLoaded(traffic.requests), [frameUrl("light")]);
      assert.deepEqual(problems, []);
    });
  }

  test("the Theme control works by keyboard on a wide screen, Matomo's form follows, and the choice carries to the next page", async () => {
    const {
      page,
      matomo: traffic,
      problems,
    } = await openPage(browser, url, { colorScheme: "light", viewport: { width: 1280, height: 900 } });
    await optOutForm(page);
    await page.focus(".nav-wide summary");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Dark");
    await page.keyboard.press("Enter");
    assert.equal((await shownTheme(page)).attribute, "dark");
    assert.equal(await page.evaluate(() => localStorage.getItem("bsTheme")), "dark");
    assert.equal(
      await page.$eval('.nav-wide [data-theme-value="dark"]', (button) => button.getAttribute("aria-pressed")),
      "true",
    );
    await eventually(() => framesLoaded(traffic.requests).length === 2, "the frame loaded the dark form");
    assert.deepEqual(framesLoaded(traffic.requests), [frameUrl("light"), frameUrl("dark")]);
    assert.equal((await page.$$("#matoOpOut")).length, 1);
    // The dark logos load now; let them finish before leaving.
    await page.waitForFunction(() =>
      [...document.querySelectorAll("header img")]
        .filter((img) => img.checkVisibility())
        .every((img) => (img as HTMLImageElement).complete),
    );
    await page.goto(`${portalOrigin}/404.html`);
    assert.deepEqual(await shownTheme(page), { attribute: "dark", background: backgrounds.dark, logo: ["dark"] });
    assert.deepEqual(problems, []);
  });

  test("on a narrow screen the menu opens by keyboard, with the links and the Theme control", async () => {
    const { page, problems } = await openPage(browser, url, {
      colorScheme: "dark",
      viewport: { width: 375, height: 800 },
    });
    assert.equal(await isShown(page, ".nav-wide"), false);
    await page.focus(".nav-menu > summary");
    await page.keyboard.press("Enter");
    const links = await page.$$eval(".nav-menu nav > ul > li > a", (all) => all.map((link) => link.textContent));
    assert.deepEqual(links, ["Home", "About", "Contact", "Contribute", "User guide", "Glossary", "Cite us", "FAQ"]);
    await page.focus(".nav-menu .theme-control > summary");
    await page.keyboard.press("Enter");
    await page.focus('.nav-menu [data-theme-value="light"]');
    await page.keyboard.press("Enter");
    assert.equal((await shownTheme(page)).attribute, "light");
    assert.deepEqual(problems, []);
  });

  test("printed, the page leaves the form out and gives its address instead", async () => {
    const { page, problems, emulate } = await openPage(browser, url);
    await emulate({ media: "print" });
    assert.equal(await isShown(page, ".opt-out-frame"), false, "an empty frame on paper");
    assert.equal(await isShown(page, ".opt-out-fallback"), false);
    assert.ok(await isShown(page, ".opt-out .print-only"));
    const address = await page.$eval(".opt-out .print-only a", (a) => getComputedStyle(a, "::after").content);
    assert.equal(address, `" (${frameUrl("light")})"`);
    assert.deepEqual(problems, []);
  });

  for (const [theme, late] of [
    ["light", undefined],
    ["dark", undefined],
    ["light", /\.(woff2|avif|webp)$/],
    ["dark", /\.(woff2|avif|webp)$/],
  ] as const) {
    test(`${theme}${late ? ", font and images 700 ms late" : ""}: nothing moves while the page loads, every image shown has loaded${late ? "" : ", and at 1280, 768 and 375 px nothing scrolls sideways"}`, async () => {
      const delay = (requested: string) => (late?.test(requested) ? 700 : 0);
      const { page, problems } = await openPage(browser, url, {
        colorScheme: theme,
        viewport: { width: 1280, height: 900 },
        delay,
      });
      assert.equal(await shiftOverVisit(page), 0);
      const broken = await page.evaluate(() =>
        [...document.images]
          .filter((img) => img.checkVisibility() && !(img.complete && img.naturalWidth > 0))
          .map((img) => img.currentSrc || img.src),
      );
      assert.deepEqual(broken, []);
      assert.equal(
        await page.evaluate(async () => (await document.fonts.load("700 1rem Roboto")).length),
        1,
        "Roboto did not load",
      );
      if (!late) {
        // The same visit at the portal's other widths: nothing scrolls sideways; screenshots for a person to compare.
        for (const width of [1280, 768, 375]) {
          await page.setViewport({ width, height: 900 });
          await scrollToEnd(page);
          assert.ok(
            await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
            `the page scrolls sideways at ${width} px`,
          );
          await page.screenshot({ path: `${screenshots}/portal-${width}-${theme}.png`, fullPage: true });
        }
      }
      assert.deepEqual(problems, []);
    });
  }
});
