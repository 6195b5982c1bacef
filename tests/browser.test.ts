// The built page in a real browser: Debian's Chromium, offline, with the
// opt-out frame loaded from a local Matomo stand-in.
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import { AxePuppeteer } from "@axe-core/puppeteer";
import type { Page } from "puppeteer-core";
import { createMarkdown } from "../lib/markdown.ts";
import { optOutUrl } from "../lib/matomo.ts";
import { loadSite } from "../lib/site.ts";
import { normalText, sharedBuild } from "./helpers/build.ts";
import {
  browserMissing,
  isShown,
  launchChromium,
  openPage,
  optOutForm,
  portalOrigin,
  wcagTags,
  type TestBrowser,
} from "../scripts/harness/browser.ts";
import { eventually } from "./helpers/eventually.ts";
import { readPolicy } from "./helpers/policy.ts";

const optOutFrameUrl = optOutUrl(loadSite().matomo, readPolicy().data.lang);
const widths = [320, 768, 1280];
const screenshots = "tests/screenshots";
const fallbackLink = '::-p-aria([name="open the opt-out form on a page of its own"][role="link"])';

const skip = browserMissing();
let browser: TestBrowser;
const url = `${portalOrigin}/privacy/`;

const noHorizontalScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe("the page in Chromium", { skip }, () => {
  before(async () => {
    const site = await sharedBuild();
    browser = await launchChromium({ portal: site.folder });
    await mkdir(screenshots, { recursive: true });
  });

  after(async () => {
    await browser?.close();
  });

  for (const colorScheme of ["light", "dark"] as const) {
    test(`loads in ${colorScheme} mode, counts the visit without a cookie, error, failed request or policy violation, and has no WCAG 2.2 A/AA or best-practice violation, frame included`, async () => {
      const { page, matomo, problems, portalCookies } = await openPage(browser, url, { colorScheme });
      await eventually(() => matomo.pageViews.length > 0, "the tracker has sent the page view");
      assert.equal(matomo.pageViews[0]!.url.searchParams.get("idsite"), String(loadSite().matomo.siteId));
      assert.deepEqual(await portalCookies(), [], "the tracker must not use cookies");
      assert.ok(
        matomo.requests.includes(optOutUrl(loadSite().matomo, readPolicy().data.lang, colorScheme)),
        "the opt-out frame was not loaded",
      );
      await optOutForm(page);
      const results = await new AxePuppeteer(page).withTags(wcagTags).analyze();
      const violations = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      assert.deepEqual(violations, []);
      assert.ok(
        results.passes.some((rule) => rule.id === "frame-title"),
        "axe did not check the frame's title",
      );
      assert.deepEqual(problems, []);
    });
  }

  test(`at ${widths.join(", ")} px the opt-out form shows whole, and nothing scrolls sideways`, async () => {
    const { page, problems } = await openPage(browser, url);
    const frame = await optOutForm(page);
    for (const width of widths) {
      await page.setViewport({ width, height: 800 });
      assert.deepEqual(await page.$$eval("iframe", (frames) => frames.map((frame) => frame.getAttribute("src"))), [
        optOutFrameUrl,
      ]);
      assert.ok(await isShown(page, "iframe"));
      const fits = await frame.evaluate(() => ({
        height: document.documentElement.scrollHeight,
        visible: window.innerHeight,
        sideways: document.documentElement.scrollWidth > window.innerWidth,
      }));
      assert.ok(
        fits.height <= fits.visible,
        `at ${width} px the form needs ${fits.height} px, the frame shows ${fits.visible} px`,
      );
      assert.equal(fits.sideways, false, `the form scrolls sideways at ${width} px`);
      assert.ok(await noHorizontalScroll(page), `the page scrolls sideways at ${width} px`);

      // A full-page capture leaves the cross-origin frame blank; a window as tall as the page, painted, does not.
      await page.setViewport({ width, height: await page.evaluate(() => document.documentElement.scrollHeight) });
      await (await frame.$("#trackVisits"))!.screenshot();
      await page.screenshot({ path: `${screenshots}/privacy-${width}.png` });
    }
    assert.deepEqual(problems, []);
  });

  test("the history and an earlier version have no WCAG 2.2 A/AA or best-practice violation, light or dark; added and removed words are marked without colour", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const history = await openPage(browser, `${portalOrigin}/privacy/history/`, { colorScheme });
      const earlier = await history.page.$eval('main a[href^="/privacy/history/2"]', (a) => a.getAttribute("href"));
      assert.ok(earlier, "the history links no earlier version");
      // Underline and strike-through: a change is there without colour.
      assert.deepEqual(
        await history.page.evaluate(() =>
          ["ins", "del"].map((tag) => getComputedStyle(document.querySelector(`main ${tag}`)!).textDecorationLine),
        ),
        ["underline", "line-through"],
      );
      for (const { page, problems } of [
        history,
        await openPage(browser, `${portalOrigin}${earlier}`, { colorScheme }),
      ]) {
        // No frame on these pages, so axe runs in the page itself (legacy mode), without the tab its frame-by-frame mode opens for every check.
        assert.equal(await page.$("iframe"), null);
        const results = await new AxePuppeteer(page).withTags(wcagTags).setLegacyMode().analyze();
        const where = `${page.url()} in ${colorScheme}`;
        assert.deepEqual(
          results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
          [],
          where,
        );
        assert.ok(
          results.passes.some((rule) => rule.id === "color-contrast"),
          `axe did not check the contrast of ${where}`,
        );
        assert.deepEqual(problems, [], where);
      }
    }
  });

  test("what else a page's Markdown may hold (sub-headings, a table, a quote, code) reads in either theme: AA contrast, cells ruled apart, nothing scrolling sideways at 320 px", async () => {
    const html = createMarkdown().render(
      [
        "## More",
        "### A sub-heading",
        "#### A smaller one",
        "| Data | Kept for | Where |",
        "| --- | --- | --- |",
        "| Your anonymised IP address | 13 months | https://matomo.dc.scilifelab.se/index.php?module=CoreAdminHome&action=optOut |",
        "",
        "> A quoted sentence.",
        "",
        "Inline `code`, and a block:",
        "",
        "```",
        "a line of code wider than a narrow screen ".repeat(3),
        "```",
      ].join("\n"),
    );
    for (const colorScheme of ["light", "dark"] as const) {
      // A page without the opt-out frame, so axe runs in the page itself (legacy mode).
      const { page, problems } = await openPage(browser, `${portalOrigin}/404.html`, { colorScheme });
      await page.setViewport({ width: 320, height: 800 });
      await page.$eval(".content", (content, extra) => content.insertAdjacentHTML("beforeend", extra), html);
      assert.ok(await noHorizontalScroll(page), `the page scrolls sideways in ${colorScheme}`);
      const styles = await page.evaluate(() => {
        const style = (selector: string) => getComputedStyle(document.querySelector(`.content ${selector}`)!);
        return {
          heading: style("h3").color === style("h2").color,
          header: style("th").textAlign,
          rule: style("td").borderBottomWidth,
          quote: style("blockquote").borderLeftWidth,
          code: style("code").backgroundColor !== getComputedStyle(document.body).backgroundColor,
        };
      });
      assert.deepEqual(styles, { heading: true, header: "start", rule: "1px", quote: "4px", code: true }, colorScheme);
      const results = await new AxePuppeteer(page).include(".content").withTags(wcagTags).setLegacyMode().analyze();
      assert.deepEqual(
        results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
        [],
        colorScheme,
      );
      assert.ok(results.passes.some((rule) => rule.id === "color-contrast"));
      assert.deepEqual(problems, []);
    }
  });

  test("text reflows at 200 % zoom of a 1280 px window", async () => {
    const { page } = await openPage(browser, url, { viewport: { width: 640, height: 400, deviceScaleFactor: 2 } });
    assert.ok(await noHorizontalScroll(page));
    const overflowing = await page.evaluate(() =>
      [...document.querySelectorAll("body *")]
        .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
        .filter((element) => !element.matches(".skip-link"))
        .map((element) => element.tagName),
    );
    assert.deepEqual(overflowing, []);
  });

  test("the fallback link opens the opt-out page itself", async () => {
    const { page } = await openPage(browser, url);
    await Promise.all([page.waitForNavigation(), page.locator(fallbackLink).click()]);
    assert.equal(page.url(), optOutFrameUrl);
    assert.ok(await isShown(page, "#trackVisits"));
  });

  test("the first Tab reaches the skip link, and Enter moves focus to the main content", async () => {
    const { page } = await openPage(browser, url, { viewport: { width: 320, height: 640 } });
    await page.keyboard.press("Tab");
    const skipLink = await page.evaluate(() => {
      const active = document.activeElement as HTMLElement;
      const box = active.getBoundingClientRect();
      return { text: active.textContent, inView: box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight };
    });
    assert.deepEqual(skipLink, { text: "Skip to main content", inView: true });
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "main");
    await page.keyboard.press("Tab");
    assert.equal(
      await page.evaluate(() => document.activeElement?.closest(".breadcrumbs") && document.activeElement.textContent),
      "Home",
    );
  });

  test("every link shows a visible focus indicator when reached by keyboard", async () => {
    const { page } = await openPage(browser, url);
    await optOutForm(page);
    const linkCount = await page.$$eval("a", (links) => links.filter((link) => link.checkVisibility()).length);
    const seen = new Map<string, string>();
    for (let press = 0; press < linkCount + 10 && seen.size < linkCount; press++) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const active = document.activeElement;
        if (!(active instanceof HTMLAnchorElement)) return undefined;
        const style = getComputedStyle(active);
        const index = [...document.querySelectorAll("a")].filter((a) => a.checkVisibility()).indexOf(active);
        return { key: `${index} ${active.textContent}`, outline: `${style.outlineStyle} ${style.outlineWidth}` };
      });
      if (focused) seen.set(focused.key, focused.outline);
    }
    assert.equal(seen.size, linkCount, "not every link could be reached with Tab");
    for (const [link, outline] of seen) assert.match(outline, /^solid [1-9]/, `no focus outline on ${link}`);
  });

  test("the headless shell refuses the browser's own settings rather than ignore them", async () => {
    for (const setting of [
      { thirdPartyCookies: "allowed" },
      { thirdPartyCookies: "blocked" },
      { doNotTrack: true },
    ] as const) {
      await assert.rejects(
        openPage(browser, url, setting),
        /the headless shell has no third-party cookie or Do Not Track setting/,
      );
    }
  });

  test("without JavaScript every section of the policy is still there", async () => {
    const { page, problems } = await openPage(browser, url, { javaScriptEnabled: false });
    const { data, headings } = readPolicy();
    const shown = await page.$$eval("main h1, .content h2, .content h3, .content h4", (all) =>
      all.map((heading) => heading.textContent ?? ""),
    );
    assert.deepEqual(shown.map(normalText), [data.title, ...headings.map(([, text]) => text)]);
    assert.ok(await isShown(page, fallbackLink));
    assert.deepEqual(problems, []);
  });
});
