// Firefox's own Do Not Track and Global Privacy Control settings, against the
// same Matomo stand-in as in Chromium: the tracker loads nothing and the page
// says why. A file of its own, so that it runs beside gecko.test.ts.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sharedBuild } from "../helpers/build.ts";
import { firefoxVisits, geckoMissing, type FirefoxVisits } from "./gecko.ts";
import { startEngineHosts, type EngineHosts } from "./hosts.ts";
import { loadSite } from "../../lib/site.ts";

const { privacySignalNotice } = loadSite().matomo;
let hosts: EngineHosts;
let firefox: FirefoxVisits;

describe("the privacy signals in Gecko (Firefox ESR)", { skip: geckoMissing() }, () => {
  before(async () => {
    hosts = await startEngineHosts((await sharedBuild()).folder);
    firefox = firefoxVisits(hosts);
  });
  after(async () => {
    await firefox?.close();
    await hosts?.close();
  });

  for (const [signal, settings] of [
    ["Do Not Track", { doNotTrack: true }],
    ["Global Privacy Control", { globalPrivacyControl: true }],
  ] as const) {
    test(`Firefox's own ${signal} setting: the visit is not counted, and the page says so`, async () => {
      const { context, page, problems, views } = await firefox.visit(settings);
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
});
