// Firefox's own Do Not Track and Global Privacy Control settings, against the
// same Matomo stand-in as in Chromium: the tracker loads nothing and the page
// says why. A file of its own, so that it runs beside gecko.test.ts.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { firefoxSuite, geckoMissing } from "./gecko.ts";
import { loadSite } from "../../lib/site.ts";

const { privacySignalNotice } = loadSite().matomo;

describe("the privacy signals in Gecko (Firefox ESR)", { skip: geckoMissing() }, () => {
  const firefox = firefoxSuite();

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
