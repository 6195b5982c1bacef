// The built pages in Chromium as visitors meet them: axe's WCAG 2.2 A/AA (frame included) in both themes, the
// portal's shared theme, keyboard, no JavaScript, print, nothing that moves or scrolls sideways, and the system's
// requests for more contrast and forced colours.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { AxePuppeteer } from "@axe-core/puppeteer";
import type { Page } from "puppeteer-core";
import { optOutUrl, type Theme } from "../../lib/matomo.ts";
import { copyProject } from "../helpers/project.ts";
import { emulate, eventually, launchChromium, site, wcag, type Visit } from "../helpers/chromium.ts";

let chromium: Awaited<ReturnType<typeof launchChromium>>;
const frameUrl = (theme: Theme, more = false) => optOutUrl(site.matomo, "en", theme, more);
/** What the Markdown of a page may hold beyond the policy's words, added to the policy under a later "updated". */
const sample = `\n## Table\n\n| Column | A long cell |\n| --- | --- |\n| One | \`https://genomes.scilifelab.se/a/long/address/that/must/wrap/on/a/narrow/screen\` |\n\n> A quote.\n\n### Code\n\n\`inline\` and\n\n\`\`\`text\nA long line of code that must wrap on a narrow screen rather than make the page scroll sideways at all\n\`\`\`\n`;

/** axe's findings; on a page without frames in the page itself, without the tab its frame-by-frame mode opens. */
const violations = async (page: Page, tags = wcag) => {
  const axe = new AxePuppeteer(page).withTags(tags).setLegacyMode(!(await page.$("iframe")));
  return (await axe.analyze()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`);
};
const theme = (page: Page) => page.evaluate(() => document.documentElement.getAttribute("data-bs-theme"));
const shown = (page: Page, selector: string) =>
  page.$$eval(selector, (all) => all.filter((e) => e.checkVisibility()).length);
const frames = () => chromium.traffic.frames.map(({ url }) => url.href);
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

describe("the pages in Chromium", () => {
  before(async () => {
    const project = copyProject({ git: true });
    const policy = project.read("src/privacy.md").replace(/^updated: .*$/m, "updated: 2099-01-01");
    project.write("src/privacy.md", policy + sample);
    assert.equal((await project.npm("build")).code, 0);
    chromium = await launchChromium(join(project.root, "public"));
  });
  after(() => chromium?.close());

  /** Scrolls `page` through, a frame at each half screen, so that every lazy image is asked for. */
  const scrolled = (page: Page) =>
    page.evaluate(async () => {
      for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
        scrollTo(0, y);
        await new Promise(requestAnimationFrame);
      }
    });
  /** The layout shifts since the page started loading. */
  const shifted = (page: Page) =>
    page.evaluate(async () => {
      type Shift = PerformanceEntry & { value: number };
      const shifts: Shift[] = [];
      const observer = new PerformanceObserver((list) => shifts.push(...(list.getEntries() as Shift[])));
      observer.observe({ type: "layout-shift", buffered: true });
      // The buffered entries reach the observer a frame or two after it starts: then the records hold every shift.
      for (let frames = 0; frames < 2; frames++) await new Promise(requestAnimationFrame);
      shifts.push(...(observer.takeRecords() as Shift[]));
      return shifts.reduce((sum, entry) => sum + entry.value, 0);
    });

  for (const [system, stored] of [["light"], ["dark"], ["light", "dark"]] as const) {
    const expected = stored ?? system;
    const name = `system ${system}${stored ? `, ${stored} stored by the portal` : ""}: ${expected} from the first paint, Matomo's form once in it`;
    const more = stored
      ? ""
      : "; nothing moves, every image loads, nothing scrolls sideways at 1280, 768 or 320 px, no WCAG violation (a table, a quote and code included)";
    test(`${name}${more}`, async () => {
      chromium.traffic.frames.length = 0;
      const { page, problems } = await chromium.visit("/privacy/", {
        colorScheme: system,
        ...(stored && { storage: { bsTheme: stored } }),
      });
      assert.equal(await theme(page), expected);
      await page.waitForFrame((frame) => frame.url().startsWith(site.matomo.origin));
      assert.deepEqual(frames(), [frameUrl(expected)]);
      const storedByPage = await page.evaluate(() => localStorage.getItem("bsTheme"));
      assert.equal(storedByPage, stored ?? null, "the page stored a theme itself");
      // The stored theme renders as the system's dark one, checked below.
      if (!stored) {
        await scrolled(page);
        await page.waitForFunction(() =>
          [...document.images]
            .filter((img) => img.checkVisibility())
            .every((img) => img.complete && img.naturalWidth > 0),
        );
        assert.equal(await shifted(page), 0);
        for (const width of [1280, 768, 320]) {
          await page.setViewport({ width, height: 800 });
          assert.equal(await sideways(page), false, `${width} px`);
        }
        assert.deepEqual(await violations(page), []);
      }
      assert.deepEqual(problems, []);
    });
  }

  test("the history and an earlier version: no violation in either theme, nothing sideways at 320 px, changes marked by more than colour", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      for (const path of ["/privacy/history/", "/privacy/history/2024-11-07/"]) {
        const { page, problems } = await chromium.visit(path, { colorScheme, width: 320 });
        assert.deepEqual(await violations(page), [], `${path} ${colorScheme}`);
        assert.equal(await sideways(page), false, `${path} scrolls sideways`);
        assert.deepEqual(problems, []);
        const marks = await page.$$eval("ins, del", (all) => all.map((e) => getComputedStyle(e).textDecorationLine));
        if (path.endsWith("history/")) assert.deepEqual(new Set(marks), new Set(["underline", "line-through"]));
      }
    }
  });

  test("by keyboard: the first Tab reaches the skip link, Enter moves to the content, every link shows its focus; the Theme control: Matomo's form follows, and the choice carries to the next page; on a narrow screen, in the menu", async () => {
    chromium.traffic.frames.length = 0;
    const { page, problems } = await chromium.visit("/privacy/", { colorScheme: "light" });
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.className), "skip-link");
    await page.keyboard.press("Enter");
    await eventually(() => page.evaluate(() => document.activeElement?.id === "main"), "focus on the content");
    for (let tab = 0; tab < 12; tab++) {
      await page.keyboard.press("Tab");
      const [outline, focused] = await page.evaluate(() => [
        getComputedStyle(document.activeElement!).outlineStyle,
        document.activeElement!.outerHTML.slice(0, 60),
      ]);
      if (/^<(a|button|summary)\b/.test(focused!)) assert.notEqual(outline, "none", `no focus ring on ${focused}`);
    }
    await page.waitForFrame((frame) => frame.url().startsWith(site.matomo.origin));
    await page.focus(".nav-wide .theme-control summary");
    await page.keyboard.press("Enter");
    await page.focus('.nav-wide [data-theme-value="dark"]');
    await page.keyboard.press("Enter");
    assert.equal(await theme(page), "dark");
    const pressed = await page.$eval('.nav-wide [data-theme-value="dark"]', (b) => b.getAttribute("aria-pressed"));
    assert.equal(pressed, "true");
    await eventually(() => frames().length === 2, "the form again, in the dark theme");
    assert.deepEqual(frames(), [frameUrl("light"), frameUrl("dark")]);
    await page.goto(`${site.origin}/404.html`);
    assert.equal(await theme(page), "dark");
    const narrow = await chromium.visit("/privacy/", { width: 375 });
    assert.equal(await shown(narrow.page, ".nav-wide"), 0);
    await narrow.page.focus(".nav-menu > summary");
    await narrow.page.keyboard.press("Enter");
    const menu = await narrow.page.$$eval(".nav-menu nav > ul > li > a", (links) =>
      links.map((a) => a.getAttribute("href")),
    );
    assert.deepEqual(
      menu,
      site.headerNavigation.menuOrder.map((href) => `${site.origin}${href}`),
    );
    assert.equal(await shown(narrow.page, ".nav-menu [data-theme-control]"), 1);
    assert.deepEqual([...problems, ...narrow.problems], []);
  });

  test("without JavaScript: the system's scheme, no Theme control, Matomo's light form; printed, the form's address instead", async () => {
    chromium.traffic.frames.length = 0;
    const { page, problems } = await chromium.visit("/privacy/", { colorScheme: "dark", javaScript: false });
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgb(33, 33, 33)");
    assert.equal(await shown(page, "[data-theme-control]"), 0);
    await eventually(() => frames().length === 1, "the frame without JavaScript");
    assert.deepEqual(frames(), [frameUrl("light")]);
    await emulate(page, { print: true });
    assert.equal(await shown(page, ".opt-out-frame"), 0, "an empty frame on paper");
    assert.equal(await shown(page, ".opt-out .print-only"), 1, "no address of the form on paper");
    assert.deepEqual(problems, []);
  });

  for (const colorScheme of ["light", "dark"] as const) {
    test(`${colorScheme}, more contrast asked for: every text at least 7:1, links underlined, Matomo's form in its more-contrast colours; forced colours keep every control seen`, async () => {
      chromium.traffic.frames.length = 0;
      const more: Visit = { colorScheme, contrast: "more" };
      const { page, problems } = await chromium.visit("/privacy/", more);
      await eventually(() => frames().length === 1, "the frame");
      assert.deepEqual(frames(), [frameUrl(colorScheme, true)]);
      assert.deepEqual(await violations(page, ["wcag2aaa"]), []);
      assert.ok(
        await page.$$eval("main a", (links) =>
          links.every((a) => getComputedStyle(a).textDecorationLine.includes("underline")),
        ),
      );
      await emulate(page, { colorScheme, forcedColors: "active" });
      await page.keyboard.press("Tab");
      const seen = await page.evaluate(() =>
        [".skip-link", ".nav-wide .theme-control summary", ".opt-out-frame iframe"].map((selector) => {
          const element = document.querySelector(selector)!;
          const style = getComputedStyle(element);
          return (
            element.checkVisibility() &&
            (style.outlineStyle !== "none" || style.borderStyle !== "none" || style.color !== style.backgroundColor)
          );
        }),
      );
      assert.deepEqual(seen, [true, true, true]);
      assert.deepEqual(problems, []);
    });
  }
});
