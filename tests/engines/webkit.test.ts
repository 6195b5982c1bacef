// The page and the opt-out in WebKit (Debian's WebKitGTK MiniBrowser), against
// the same Matomo stand-in as in Chromium: third-party cookies blocked
// (WebKitGTK's default) and allowed, and the page's core checks in light and
// dark. WebKitGTK has no Do Not Track or Global Privacy Control setting: a
// test shows that it sends neither, and is counted.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { By, Origin, type WebDriver } from "selenium-webdriver";
import { loadSite } from "../../lib/site.ts";
import { sharedBuild } from "../helpers/build.ts";
import { eventually } from "../helpers/eventually.ts";
import { matomoOrigin, otherPageUrl, portalOrigin, privacyUrl, startEngineHosts, type EngineHosts } from "./hosts.ts";
import { startWebKit, webkitMissing } from "./webkit.ts";

const portalHost = new URL(portalOrigin).hostname;
let hosts: EngineHosts;

/** Loads `url` and starts recording the page's errors and policy violations (WebDriver classic has no console events). */
async function load(driver: WebDriver, url: string) {
  await driver.get(url);
  await driver.executeScript(() => {
    const root = document.documentElement;
    document.addEventListener("securitypolicyviolation", (event) =>
      root.setAttribute(
        "data-problems",
        `${root.getAttribute("data-problems") ?? ""}CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}\n`,
      ),
    );
    window.addEventListener(
      "error",
      (event) =>
        root.setAttribute("data-problems", `${root.getAttribute("data-problems") ?? ""}page error: ${event.message}\n`),
      true,
    );
  });
}

const problems = async (driver: WebDriver) =>
  ((await driver.executeScript(() => document.documentElement.getAttribute("data-problems"))) as string | null)
    ?.split("\n")
    .filter(Boolean) ?? [];

/**
 * Loads `url` and waits until matomo.js has run, the frame (where there is
 * one) has the page's state, and every tracking request the page sent (by
 * its resource timing) has reached the stand-in; returns the page views.
 */
async function loadSettled(driver: WebDriver, url: string, { frame = url !== otherPageUrl } = {}) {
  const before = hosts.tracking.length;
  await load(driver, url);
  await driver.wait(() => driver.executeScript(() => "Matomo" in window), 10000, "matomo.js ran");
  if (frame) {
    await driver.wait(
      async () => {
        await driver.switchTo().frame(await driver.findElement(By.css("#matoOpOut")));
        const answered = await driver.executeScript(() => document.documentElement.hasAttribute("data-page-answered"));
        await driver.switchTo().defaultContent();
        return answered;
      },
      10000,
      "the frame has the page's state",
    );
  }
  const sent = () =>
    driver.executeScript(
      () => performance.getEntriesByType("resource").filter((entry) => entry.name.includes("/matomo.php?")).length,
    ) as Promise<number>;
  await eventually(
    async () => (await sent()) === hosts.tracking.length - before,
    "every tracking request reached Matomo",
  );
  return hosts.tracking.slice(before);
}

/**
 * Clicks Matomo's checkbox in the frame as a visitor does: at its place in
 * the viewport (WebKitGTK's element click inside a frame lands elsewhere).
 * Matomo's popup does its work and closes; no warning shows.
 */
async function toggle(driver: WebDriver, expectChecked: boolean) {
  const frame = await driver.findElement(By.css("#matoOpOut"));
  await driver.executeScript((element: Element) => element.scrollIntoView({ block: "center" }), frame);
  // Where the frame's content starts in the viewport: inside its border and padding.
  const frameBox = (await driver.executeScript((element: Element) => {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return {
      x: box.x + element.clientLeft + parseFloat(style.paddingLeft),
      y: box.y + element.clientTop + parseFloat(style.paddingTop),
    };
  }, frame)) as { x: number; y: number };
  await driver.switchTo().frame(frame);
  const box = (await driver.executeScript(() =>
    document.getElementById("trackVisits")!.getBoundingClientRect().toJSON(),
  )) as DOMRect;
  await driver.switchTo().defaultContent();
  const windows = (await driver.getAllWindowHandles()).length;
  const [x, y] = [Math.round(frameBox.x + box.x + box.width / 2), Math.round(frameBox.y + box.y + box.height / 2)];
  await driver.actions().move({ x, y, origin: Origin.VIEWPORT }).click().perform();
  await driver.wait(
    async () => {
      if ((await driver.getAllWindowHandles()).length !== windows) return false;
      await driver.switchTo().frame(await driver.findElement(By.css("#matoOpOut")));
      const checked = await driver.executeScript(
        () => (document.getElementById("trackVisits") as HTMLInputElement).checked,
      );
      await driver.switchTo().defaultContent();
      return checked === expectChecked;
    },
    10000,
    "Matomo's popup did its work and closed",
  );
  await driver.switchTo().frame(await driver.findElement(By.css("#matoOpOut")));
  for (const warning of ["textError_popupBlocker", "textError_https"]) {
    assert.equal(
      await driver.executeScript((id: string) => getComputedStyle(document.getElementById(id)!).display, warning),
      "none",
      `Matomo's form shows #${warning}`,
    );
  }
  await driver.switchTo().defaultContent();
}

const portalCookies = async (driver: WebDriver) =>
  (await driver.manage().getCookies())
    .filter((cookie) => (cookie.domain ?? portalHost).replace(/^\./, "").endsWith(portalHost))
    .map((cookie) => cookie.name);

describe("the page and the opt-out in WebKit (WebKitGTK)", { skip: webkitMissing() }, () => {
  before(async () => {
    hosts = await startEngineHosts((await sharedBuild()).folder);
  });
  after(() => hosts?.close());

  for (const thirdPartyCookies of ["blocked", "allowed"] as const) {
    test(`third-party cookies ${thirdPartyCookies}: a first visit is counted without a cookie; unchecking stops counting on this and another page; checking again counts again, cookieless`, async () => {
      const { driver, close } = await startWebKit(hosts, { thirdPartyCookies });
      try {
        assert.deepEqual(
          (await loadSettled(driver, privacyUrl)).map((view) => view.outcome),
          ["recorded"],
        );
        assert.deepEqual(await portalCookies(driver), []);

        await toggle(driver, false);
        for (const url of [privacyUrl, otherPageUrl]) {
          assert.deepEqual(
            (await loadSettled(driver, url)).filter((view) => view.outcome === "recorded"),
            [],
            `a view of ${url} was recorded after the opt-out`,
          );
        }

        await loadSettled(driver, privacyUrl);
        await toggle(driver, true);
        assert.deepEqual(
          (await loadSettled(driver, privacyUrl)).map((view) => view.outcome),
          ["recorded"],
        );
        assert.deepEqual(await portalCookies(driver), []);
        assert.deepEqual(await problems(driver), []);
      } finally {
        await close();
      }
    });
  }

  test("WebKitGTK has no Do Not Track or Global Privacy Control setting: it sends neither, so the visit is counted and no notice shows", async () => {
    const { driver, close } = await startWebKit(hosts);
    try {
      const views = await loadSettled(driver, privacyUrl);
      assert.deepEqual(
        await driver.executeScript(() => [navigator.doNotTrack ?? null, "globalPrivacyControl" in navigator]),
        [null, false],
      );
      assert.equal(
        await driver.executeScript(() => document.querySelector<HTMLElement>(".privacy-signal")!.hidden),
        true,
      );
      assert.deepEqual(
        views.map((view) => view.outcome),
        ["recorded"],
      );
    } finally {
      await close();
    }
  });

  for (const colorScheme of ["light", "dark"] as const) {
    test(`${colorScheme}: the page renders in the system's scheme with Matomo's form in it, every image shown loads, and nothing leaves the machine`, async () => {
      const { driver, close } = await startWebKit(hosts, { colorScheme });
      try {
        await loadSettled(driver, privacyUrl);
        assert.equal(
          await driver.getTitle(),
          `${await driver.findElement(By.css("h1")).getText()} | ${loadSite().title}`,
        );
        assert.equal(
          await driver.executeScript(() => document.documentElement.getAttribute("data-bs-theme")),
          colorScheme,
        );
        const frameUrl = (await driver.findElement(By.css("#matoOpOut")).getAttribute("src")) ?? "";
        assert.match(frameUrl, colorScheme === "dark" ? /backgroundColor=/ : /^(?!.*backgroundColor=)/);
        await driver.executeAsyncScript(async (done: () => void) => {
          for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
            scrollTo(0, y);
            await new Promise((resolve) => requestAnimationFrame(resolve));
          }
          done();
        });
        await driver.wait(
          () =>
            driver.executeScript(() =>
              [...document.images]
                .filter((img) => img.checkVisibility())
                .every((img) => img.complete && img.naturalWidth > 0),
            ),
          10000,
          "every image shown loaded",
        );
        const origins = (await driver.executeScript(() => [
          ...new Set(performance.getEntriesByType("resource").map((entry) => new URL(entry.name).origin)),
        ])) as string[];
        assert.deepEqual(
          origins.filter((origin) => origin !== portalOrigin && origin !== matomoOrigin),
          [],
        );
        assert.deepEqual(await problems(driver), []);
        assert.deepEqual(hosts.refused, []);
      } finally {
        await close();
      }
    });
  }
});
