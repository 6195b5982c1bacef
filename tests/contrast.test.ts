// What a low-vision visitor asks of the system, in Chromium, on the policy,
// its history and an earlier version, light and dark: more contrast
// (prefers-contrast: more), where every text reaches WCAG's AAA contrast
// (1.4.6, 7:1), links are underlined and Matomo's frame comes in matching
// colours; and forced colours (such as Windows' contrast themes), where every
// control and mark stays visible in the system's colours.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { AxePuppeteer } from "@axe-core/puppeteer";
import type { Page } from "puppeteer-core";
import { optOutUrl } from "../lib/matomo.ts";
import { loadSite } from "../lib/site.ts";
import {
  browserMissing,
  isShown,
  launchChromium,
  openPage,
  optOutForm,
  portalOrigin,
  type TestBrowser,
} from "../scripts/harness/browser.ts";
import { sharedBuild } from "./helpers/build.ts";
import { readPolicy } from "./helpers/policy.ts";

const schemes = ["light", "dark"] as const;
const matomo = loadSite().matomo;
const language = readPolicy().data.lang;
const policy = `${portalOrigin}${matomo.optOutPage}`;

/** The computed style of the first element `selector` finds, for each property named. */
const styleOf = (page: Page, selector: string, properties: string[]) =>
  page.$eval(
    selector,
    (element, names) => names.map((name) => getComputedStyle(element).getPropertyValue(name)),
    properties,
  );

describe("low-vision settings in Chromium", { skip: browserMissing() }, () => {
  let browser: TestBrowser;
  let pages: string[];

  before(async () => {
    const site = await sharedBuild();
    browser = await launchChromium({ portal: site.folder });
    const history = await site.document("privacy/history/index.html");
    const earlier = history.querySelector('main a[href^="/privacy/history/2"]')?.getAttribute("href");
    assert.ok(earlier, "the history links no earlier version");
    pages = [policy, `${portalOrigin}/privacy/history/`, `${portalOrigin}${earlier}`];
  });

  after(async () => {
    await browser?.close();
  });

  for (const colorScheme of schemes) {
    test(`with more contrast asked for, in ${colorScheme}: every text at least 7:1 (axe's color-contrast-enhanced), links underlined, and Matomo's frame in the more-contrast colours`, async () => {
      for (const url of pages) {
        const { page, matomo: traffic, problems } = await openPage(browser, url, { colorScheme, contrast: "more" });
        if (url === policy) {
          await optOutForm(page);
          assert.ok(traffic.requests.includes(optOutUrl(matomo, language, colorScheme, true)), "the frame's URL");
        }
        const axe = new AxePuppeteer(page).withRules(["color-contrast-enhanced"]);
        // Only the policy has a frame; elsewhere axe runs in the page itself (legacy mode), without the tab its
        // frame-by-frame mode opens for every check.
        const results = await (url === policy ? axe : axe.setLegacyMode()).analyze();
        assert.deepEqual(
          results.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`)),
          [],
          `${url} in ${colorScheme}`,
        );
        assert.ok(
          results.passes.some((rule) => rule.id === "color-contrast-enhanced"),
          `axe checked no contrast on ${url}`,
        );
        const plainLinks = await page.$$eval("header a, main a, footer a", (links) =>
          links
            .filter(
              (link) => link.checkVisibility() && !getComputedStyle(link).textDecorationLine.includes("underline"),
            )
            .map((link) => link.outerHTML),
        );
        assert.deepEqual(
          plainLinks.filter((link) => !link.includes('class="brand"') && !link.includes("<svg")),
          [],
          url,
        );
        assert.deepEqual(problems, [], url);
      }
    });

    test(`under forced colours, in ${colorScheme}: the skip link, the Theme control and its icon and choice, the focus ring, the frame's edge and fallback link, added and removed words, the notices and the system's logos stay visible`, async () => {
      for (const url of pages) {
        // A theme chosen against the system's: under forced colours the system's colours still decide.
        const storage = { bsTheme: colorScheme === "light" ? "dark" : "light" };
        const { page, problems } = await openPage(browser, url, { colorScheme, forcedColors: "active", storage });
        const none = ["none", "", "0px"];
        await page.keyboard.press("Tab");
        const [outline, outlineWidth, skipTop] = await styleOf(page, ".skip-link:focus", [
          "outline-style",
          "outline-width",
          "top",
        ]);
        assert.ok(
          !none.includes(outline!) && parseFloat(outlineWidth!) >= 1,
          `no focus ring on the skip link of ${url}`,
        );
        assert.ok(parseFloat(skipTop!) >= 0, "the focused skip link is off the screen");

        const [iconFill] = await styleOf(page, ".nav-wide .theme-control summary svg", ["fill"]);
        const [background] = await styleOf(page, "body", ["background-color"]);
        assert.ok(
          iconFill !== background && !/rgba\(.*, 0\)|transparent/.test(iconFill!),
          `the Theme icon is ${iconFill}`,
        );
        await page.click(".nav-wide .theme-control summary");
        // The background a reader sees behind each option: its own, or the nearest one behind it.
        const shownBackground = (pressed: boolean) =>
          page.$eval(`.nav-wide .theme-control button[aria-pressed="${pressed}"]`, (button) => {
            for (let element: Element | null = button; element; element = element.parentElement) {
              const colour = getComputedStyle(element).backgroundColor;
              if (!/rgba\(.*, 0\)|transparent/.test(colour)) return colour;
            }
            return "";
          });
        const [chosen, other] = [await shownBackground(true), await shownBackground(false)];
        assert.notDeepEqual(chosen, other, "the Theme control's choice looks like the other option");

        const logos = await page.$$eval(".brand img, .supporters img", (images) =>
          images.filter((image) => image.checkVisibility()).map((image) => image.classList.contains(`dark-only`)),
        );
        assert.ok(logos.length >= 4, `${logos.length} logos shown`);
        assert.deepEqual(new Set(logos), new Set([colorScheme === "dark"]), "a logo made for the other background");

        if (url === policy) {
          const [frameBorder] = await styleOf(page, "#matoOpOut", ["border-top-style"]);
          assert.ok(!none.includes(frameBorder!), "the frame has no edge");
          const [fallback] = await styleOf(page, ".opt-out-fallback a", ["text-decoration-line"]);
          assert.match(fallback!, /underline/);
        } else if (url.endsWith("/history/")) {
          assert.deepEqual(
            [
              ...(await styleOf(page, "main ins", ["text-decoration-line"])),
              ...(await styleOf(page, "main del", ["text-decoration-line"])),
            ],
            ["underline", "line-through"],
          );
        } else {
          const [noticeBorder] = await styleOf(page, ".version-notice", ["border-left-style"]);
          assert.ok(!none.includes(noticeBorder!), "the notice has no edge");
        }
        assert.deepEqual(problems, [], url);
      }
    });
  }

  for (const [name, setting] of [
    ["more contrast", { contrast: "more" }],
    ["forced colours", { forcedColors: "active" }],
  ] as const) {
    test(`with ${name}: without JavaScript the policy has the colours it has with it, and its framed form; printed, it gives the form's address instead`, async () => {
      // The colours of the text, a link and a heading: axe checks them with JavaScript (above); the stylesheet alone sets them.
      const colours = (page: Page) =>
        page.evaluate(() =>
          ["main p", "main a", "main h2"].map((selector) => {
            const style = getComputedStyle(document.querySelector(selector)!);
            return `${style.color} on ${style.backgroundColor}, ${style.textDecorationLine}`;
          }),
        );
      const scripted = await openPage(browser, policy, setting);
      const expected = await colours(scripted.page);
      const noScript = await openPage(browser, policy, { ...setting, javaScriptEnabled: false });
      await optOutForm(noScript.page);
      assert.deepEqual(await colours(noScript.page), expected);
      assert.deepEqual([...scripted.problems, ...noScript.problems], []);

      const { page, problems, emulate } = await openPage(browser, policy, setting);
      await emulate({ media: "print", ...setting });
      assert.equal(await isShown(page, ".opt-out-frame"), false, "an empty frame on paper");
      assert.ok(await isShown(page, ".opt-out .print-only"), "no address of the form on paper");
      assert.deepEqual(problems, []);
    });
  }

  test("the rules for forced colours name system colours only, and those for more contrast change nothing else", () => {
    const css = readFileSync("src/assets/style.css", "utf8");
    const blocks = (query: string) =>
      [...css.matchAll(new RegExp(`@media ${query.replace(/[()]/g, "\\$&")} \\{([\\s\\S]*?)\\n\\}`, "g"))].map(
        (m) => m[1]!,
      );
    const forced = blocks("(forced-colors: active)");
    assert.ok(forced.length > 0, "no rules for forced colours");
    for (const block of forced) assert.doesNotMatch(block, /#[0-9a-f]{3,6}\b|rgb|hsl|var\(/i);
    assert.equal(blocks("(prefers-contrast: more)").length, 1);
  });
});
