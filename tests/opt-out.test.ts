// The opt-out's promise, in Chromium, against a stand-in for Matomo that
// speaks its protocol (scripts/harness/matomo/): the page and Matomo on their
// real host names, so on the same site as in production; every path through
// the form with third-party cookies blocked (Chromium's default) and allowed,
// and the privacy signals, which the tracker reads before any cookie, once.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { BrowserContext, Frame, Page } from "puppeteer-core";
import { loadSite } from "../lib/site.ts";
import { sharedBuild } from "./helpers/build.ts";
import {
  browserMissing,
  isShown,
  launchChromium,
  matomoOrigin,
  openPage,
  optOutForm,
  portalOrigin,
  type LoadedPage,
  type PageOptions,
  type TestBrowser,
} from "../scripts/harness/browser.ts";
import { eventually } from "./helpers/eventually.ts";

const privacyUrl = `${portalOrigin}/privacy/`;
const otherPageUrl = `${portalOrigin}/404.html`;
// Another site entirely, where the page would be served apart from Matomo's site.
const otherSite = "https://privacy-mirror.test";
const { privacySignalNotice, siteId, optOutDark } = loadSite().matomo;
const darkBackground = optOutDark.backgroundColor;
const matomoWarnings = ["#textError_popupBlocker", "#textError_https"];

let browser: TestBrowser;

const fallbackLink = '::-p-aria([name="open the opt-out form on a page of its own"][role="link"])';
const checked = (form: Frame | Page) => form.$eval("#trackVisits", (box) => (box as HTMLInputElement).checked);

/** The cookies the browser holds for `origin`'s host, by name. */
async function cookieNames(context: BrowserContext, origin: string): Promise<string[]> {
  const host = new URL(origin).hostname;
  return (await context.cookies()).filter((cookie) => cookie.domain.replace(/^\./, "") === host).map((c) => c.name);
}
const matomoCookies = (context: BrowserContext) => cookieNames(context, matomoOrigin);

/** Waits for the page view to be sent, so matomo.js is listening to the frame. */
const trackerReady = (loaded: LoadedPage) =>
  eventually(() => loaded.matomo.pageViews.length > 0, "the page view was sent");

/**
 * Waits until the visit has settled: matomo.js has run its queue, the frame
 * (where there is one) has the page's state, and every tracking request sent
 * has Matomo's answer. Whatever the page was going to count, it has counted.
 */
async function settled(loaded: LoadedPage, { frame = true } = {}) {
  await loaded.page.waitForFunction(() => "Matomo" in window);
  if (frame) await optOutForm(loaded.page, "html[data-page-answered]");
  const trackingRequests = () => loaded.matomo.requests.filter((url) => url.includes("/matomo.php?")).length;
  await eventually(
    () => trackingRequests() === loaded.matomo.pageViews.length,
    "every tracking request has its answer",
  );
}

/** Does `action`, and waits for the popup it makes Matomo open to do its work and close. */
async function withPopup(context: BrowserContext, action: () => Promise<unknown>) {
  const opened = context.waitForTarget((target) => target.type() === "page" && target.opener() !== undefined, {
    timeout: 5000,
  });
  const [popup] = await Promise.all([opened, action()]);
  await eventually(() => !context.targets().includes(popup), "Matomo's popup did its work and closed");
}

/**
 * Clicks Matomo's checkbox as a visitor would (in the frame, or in `form`: the
 * opt-out page opened on its own), and waits for Matomo's popup to do its
 * work and close; Matomo must then show no warning.
 */
async function toggle(loaded: LoadedPage, { expectChecked, form }: { expectChecked: boolean; form?: Frame | Page }) {
  // A visitor clicks the form once it shows the page's state; the locator waits for the box to stand still.
  const shown = form ?? (await optOutForm(loaded.page, "html[data-page-answered]"));
  await withPopup(loaded.context, () => shown.locator("#trackVisits").click());
  assert.equal(await checked(shown), expectChecked);
  for (const warning of matomoWarnings)
    assert.equal(await isShown(shown, warning), false, `Matomo's form shows ${warning}`);
}

/** Loads `url` again in the same browser and waits until it has settled; the page views it sent. */
async function reload(loaded: LoadedPage, url = privacyUrl) {
  const before = loaded.matomo.pageViews.length;
  await loaded.page.goto(url, { waitUntil: "load" });
  await settled(loaded, { frame: url !== otherPageUrl });
  return loaded.matomo.pageViews.slice(before);
}

describe("the Matomo opt-out", { skip: browserMissing("browser") }, () => {
  before(async () => {
    const site = await sharedBuild();
    // Chromium itself: its own third-party cookie and Do Not Track settings, and Matomo's popups, are the point here.
    browser = await launchChromium({ portal: site.folder, mirrors: [otherSite], build: "browser" });
  });
  after(() => browser?.close());

  for (const thirdPartyCookies of ["blocked", "allowed"] as const) {
    const options: PageOptions = { thirdPartyCookies };

    describe(`with third-party cookies ${thirdPartyCookies}`, () => {
      test("a first visit sends one page view, recorded, with no cookie; unchecking confirms with no warning, and stops later views on this and another page", async () => {
        const loaded = await openPage(browser, privacyUrl, options);
        await settled(loaded);
        assert.deepEqual(
          loaded.matomo.pageViews.map(({ url, outcome }) => [url.searchParams.get("idsite"), outcome]),
          [[String(siteId), "recorded"]],
        );
        assert.deepEqual(await loaded.portalCookies(), []);
        await toggle(loaded, { expectChecked: false });
        // The tracker keeps the choice on the page's own site; Matomo keeps it in its ignore cookie.
        assert.deepEqual(await loaded.portalCookies(), [`${new URL(portalOrigin).hostname} mtm_consent_removed`]);
        assert.ok(
          (await matomoCookies(loaded.context)).includes("matomo_ignore"),
          "Matomo's ignore cookie was not set",
        );

        assert.deepEqual(await reload(loaded), [], "a view of the same page was sent");
        assert.equal(await checked(await optOutForm(loaded.page)), false, "the form forgot the opt-out");
        assert.deepEqual(await reload(loaded, otherPageUrl), [], "a view of another page was sent");
        assert.deepEqual(loaded.problems, []);
      });

      test("checking again opts back in: later views are recorded, and the page stays cookieless", async () => {
        const loaded = await openPage(browser, privacyUrl, options);
        await trackerReady(loaded);
        await toggle(loaded, { expectChecked: false });
        await reload(loaded);
        await toggle(loaded, { expectChecked: true });
        assert.deepEqual(await loaded.portalCookies(), [], "opting back in set cookies on the page's site");
        assert.ok(
          !(await matomoCookies(loaded.context)).includes("matomo_ignore"),
          "Matomo's ignore cookie is still there",
        );

        const views = await reload(loaded);
        assert.deepEqual(
          views.map((view) => view.outcome),
          ["recorded"],
        );
        assert.equal(await checked(await optOutForm(loaded.page)), true);
        assert.deepEqual(await loaded.portalCookies(), []);
        assert.deepEqual(loaded.problems, []);
      });

      test("the opt-out page of its own, from the fallback link, makes Matomo exclude later visits", async () => {
        const loaded = await openPage(browser, privacyUrl, options);
        await trackerReady(loaded);
        await Promise.all([loaded.page.waitForNavigation(), loaded.page.locator(fallbackLink).click()]);
        assert.ok(loaded.page.url().startsWith(`${matomoOrigin}/`));
        await toggle(loaded, { expectChecked: false, form: loaded.page });
        assert.ok((await matomoCookies(loaded.context)).includes("matomo_ignore"));

        const views = await reload(loaded);
        assert.deepEqual(
          views.map((view) => view.outcome),
          ["excluded"],
        );
        assert.deepEqual(await loaded.portalCookies(), []);
      });
    });
  }

  describe("Matomo's frame, once a view, in the theme in force", () => {
    /** The frame's loads of Matomo's form (not the popup's steps), dark or light by the site data's dark background. */
    const frameLoads = (loaded: LoadedPage) =>
      loaded.matomo.requests
        .filter((url) => url.includes("action=optOut") && !/setCookieInNewWindow|showConfirmOnly/.test(url))
        .map((url) => (new URL(url).searchParams.get("backgroundColor") === darkBackground ? "dark" : "light"));

    test("a page being left loads no frame, though the theme changes before the next page arrives", async () => {
      // In a dark system theme, after opting out, Chromium sometimes told the page being reloaded that the theme had turned
      // light (about one reload in eight, after Matomo's popup): the page loaded its frame again, light, for no one to see,
      // and Matomo counted it. Here the change comes from another tab's Theme control, while the next page is held back.
      // (DevTools cannot look into the page being left while the next is pending, so the hold is a time, long enough for
      // the other tab's change, which the test checks came in time.)
      const hold = 1500;
      let holdNextPage = false;
      const loaded = await openPage(browser, privacyUrl, {
        colorScheme: "dark",
        delay: (url) => (holdNextPage && url === privacyUrl ? hold : 0),
      });
      await settled(loaded);
      // The other tab is open before the reload starts: its change then takes a few milliseconds.
      const otherTab = await loaded.context.newPage();
      await otherTab.goto(otherPageUrl);
      const before = frameLoads(loaded).length;
      holdNextPage = true;
      const reloading = loaded.page.reload({ waitUntil: "load" });
      await loaded.page.waitForRequest(privacyUrl);
      const held = performance.now();
      await otherTab.evaluate(() => localStorage.setItem("bsTheme", "light"));
      assert.ok(
        performance.now() - held < hold - 500,
        "the other tab's change came too late to reach the page being left",
      );
      await reloading;
      await settled(loaded);
      assert.deepEqual(frameLoads(loaded).slice(before), ["light"]);
    });
  });

  // The tracker reads the signal before it loads anything, so the third-party cookie setting plays no part.
  for (const [signal, signalOptions] of [
    ["Do Not Track", { doNotTrack: true }],
    ["Global Privacy Control", { globalPrivacyControl: true }],
  ] as const) {
    test(`a browser sending ${signal} is not tracked at all, and is told so`, async () => {
      const loaded = await openPage(browser, privacyUrl, signalOptions);
      await optOutForm(loaded.page, "body");
      assert.ok(
        await isShown(loaded.page, `::-p-text(${JSON.stringify(privacySignalNotice)})`),
        "the notice does not show",
      );
      // The tracker decides before the page's load event, which waits for any matomo.js it adds.
      // The frame is Matomo's opt-out form; the tracker must not even load.
      assert.deepEqual(
        loaded.matomo.requests.filter((url) => /\/matomo\.(js|php)\b/.test(url)),
        [],
        "the tracker loaded",
      );
      assert.deepEqual(loaded.matomo.pageViews, []);
      assert.deepEqual(await loaded.portalCookies(), []);
      assert.deepEqual(loaded.problems, []);
    });
  }

  for (const [late, pattern] of [
    ["our tracker configuration", /\/assets\/analytics\.\w+\.js$/],
    ["matomo.js", /\/matomo\.js$/],
  ] as const) {
    test(`the configuration applies when ${late} arrives late, matomo.js cached or not`, async () => {
      const delay = (url: string) => (pattern.test(url) ? 400 : 0);
      const loaded = await openPage(browser, privacyUrl, { delay });
      await trackerReady(loaded);
      // matomo.js is now in the browser's cache, as for a visitor coming from another portal page.
      const views = await reload(loaded);
      assert.deepEqual(
        views.map((view) => [view.url.searchParams.get("idsite"), view.outcome]),
        [[String(siteId), "recorded"]],
      );
      assert.equal(loaded.matomo.pageViews.length, 2);
      assert.equal(
        loaded.served.filter((url) => url.endsWith("/matomo.js")).length,
        1,
        "the second view did not take matomo.js from the cache",
      );
      assert.deepEqual(loaded.problems, []);
    });
  }

  test("served from another site with third-party cookies blocked, the frame's opt-out still stops the tracker there, but Matomo keeps no ignore cookie", async () => {
    const loaded = await openPage(browser, `${otherSite}/privacy/`, { thirdPartyCookies: "blocked" });
    await trackerReady(loaded);
    // Matomo's popup does what it can, and closes.
    const form = await optOutForm(loaded.page, "html[data-page-answered]");
    await withPopup(loaded.context, () => form.locator("#trackVisits").click());
    await eventually(
      async () => (await cookieNames(loaded.context, otherSite)).includes("mtm_consent_removed"),
      "the page keeps the choice",
    );
    assert.ok(
      !(await matomoCookies(loaded.context)).includes("matomo_ignore"),
      "Matomo's session cookie reached the frame after all",
    );
    assert.deepEqual(await reload(loaded, `${otherSite}/privacy/`), []);
  });
});
