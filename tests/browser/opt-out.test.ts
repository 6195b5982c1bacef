// Our side of Matomo's opt-out, in Chromium against the stand-in: the frame
// at the site data's URL, under our policy and without a sandbox, may open
// its popup; unchecking it stops the tracker's requests, and checking it again
// starts them; the tracker sends no cookie and keeps none; a browser that
// asks not to be tracked (Do Not Track, Global Privacy Control) sends nothing.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Page } from "puppeteer-core";
import { optOutUrl } from "../../lib/matomo.ts";
import { eventually, launchChromium, site } from "../helpers/chromium.ts";
import { copyProject } from "../helpers/project.ts";

let chromium: Awaited<ReturnType<typeof launchChromium>>;
const cookies = async (page: Page) =>
  (await page.browserContext().cookies()).map(({ domain, name }) => `${domain} ${name}`);
const tracked = () => chromium.traffic.tracking.length;

/**
 * Clicks the box in Matomo's frame, as a visitor does, to count visits or not. Matomo's frame asks the page whether
 * the visitor opted out and shows its box so; the stand-in's shows it checked, so the test sets it first.
 */
async function choose(page: Page, count: boolean): Promise<void> {
  const frame = (await (await page.waitForSelector("#matoOpOut"))!.contentFrame())!;
  const box = (await frame.waitForSelector("#trackVisits"))!;
  await box.evaluate((input, checked) => ((input as HTMLInputElement).checked = checked), !count);
  await box.click();
}

describe("the Matomo opt-out, our side", () => {
  before(async () => {
    const project = copyProject({ git: true });
    assert.equal((await project.npm("build")).code, 0);
    chromium = await launchChromium(join(project.root, "public"));
  });
  after(() => chromium?.close());

  test("a first visit: the frame at the site data's URL with our origin alone as referrer, and one page view for the site id, without a cookie", async () => {
    const [frames, before] = [chromium.traffic.frames.length, tracked()];
    const { page, problems } = await chromium.visit("/privacy/");
    await eventually(
      () => tracked() === before + 1 && chromium.traffic.frames.length === frames + 1,
      "the page view and the frame",
    );
    const { url, referrer } = chromium.traffic.frames.at(-1)!;
    assert.equal(url.href, optOutUrl(site.matomo, "en"));
    assert.equal(referrer, `${site.origin}/`);
    const view = chromium.traffic.tracking.at(-1)!;
    assert.equal(view.url.searchParams.get("idsite"), String(site.matomo.siteId));
    assert.equal(view.url.searchParams.get("url"), `${site.origin}/privacy/`);
    assert.equal(view.cookie, "");
    assert.deepEqual(await cookies(page), []);
    assert.deepEqual([...problems, ...chromium.refused], []);
  });

  test("unchecking the box opens Matomo's popup and stops the tracker on this and the next page; checking it again starts it, cookieless", async () => {
    const popups = chromium.traffic.popups.length;
    const { page, problems } = await chromium.visit("/privacy/");
    await choose(page, false);
    await eventually(() => chromium.traffic.popups.length === popups + 1, "Matomo's popup");
    await eventually(
      async () => (await cookies(page)).some((cookie) => cookie.endsWith("mtm_consent_removed")),
      "the opt-out kept",
    );
    const count = tracked();
    for (const path of ["/privacy/", "/404.html"]) await page.goto(`${site.origin}${path}`, { waitUntil: "load" });
    await page.waitForNetworkIdle();
    assert.equal(tracked(), count, "a page view after opting out");
    await page.goto(`${site.origin}/privacy/`, { waitUntil: "load" });
    await choose(page, true);
    await eventually(async () => (await cookies(page)).length === 0, "the opt-out forgotten");
    await page.goto(`${site.origin}/404.html`, { waitUntil: "load" });
    await eventually(() => tracked() === count + 1, "a page view once opted in again");
    assert.equal(chromium.traffic.tracking.at(-1)!.cookie, "");
    assert.deepEqual(await cookies(page), []);
    assert.deepEqual(problems, []);
  });

  for (const signal of ["doNotTrack", "globalPrivacyControl"] as const) {
    test(`a browser that sends ${signal === "doNotTrack" ? "Do Not Track" : "Global Privacy Control"}: no matomo.js, no page view, and the page says so`, async () => {
      const count = tracked();
      const { page, problems } = await chromium.visit("/privacy/", { signal });
      await page.waitForNetworkIdle();
      assert.equal(tracked(), count);
      assert.equal(await page.$eval(`#privacy-signal-notice`, (notice) => notice.checkVisibility()), true);
      assert.ok(
        !(await page.evaluate(() => [...document.scripts].some((script) => script.src.endsWith("/matomo.js")))),
      );
      assert.deepEqual(problems, []);
    });
  }
});
