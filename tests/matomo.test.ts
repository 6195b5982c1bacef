import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { optOutUrl, trackerLibraryUrl, trackerScript, type MatomoSettings } from "../lib/matomo.ts";
import { loadSite } from "../lib/site.ts";

const live: MatomoSettings = {
  origin: "https://matomo.dc.scilifelab.se",
  siteId: 11,
  optOut: { fontSize: "16px", fontFamily: "Helvetica" },
};

describe("Matomo", () => {
  test("the opt-out URL for English is the live site's, to the letter", () => {
    assert.equal(
      optOutUrl(live, "en"),
      "https://matomo.dc.scilifelab.se/index.php?module=CoreAdminHome&action=optOut&language=en&fontSize=16px&fontFamily=Helvetica",
    );
  });

  test("the site data gives the live settings", () => {
    assert.deepEqual(loadSite().matomo, live);
  });

  test("the opt-out URL follows the page's language and encodes option values", () => {
    const url = new URL(optOutUrl({ ...live, optOut: { fontFamily: "Helvetica, Arial" } }, "sv"));
    assert.equal(url.searchParams.get("language"), "sv");
    assert.equal(url.searchParams.get("fontFamily"), "Helvetica, Arial");
    assert.equal(url.searchParams.get("fontSize"), null);
  });

  test("the tracker is cookieless, on the configured origin and site id", () => {
    const queue: unknown[][] = [];
    new Function("window", trackerScript(live))({ _paq: { push: (...commands: unknown[][]) => queue.push(...commands) } });
    assert.deepEqual(queue, [
      ["setTrackerUrl", "https://matomo.dc.scilifelab.se/matomo.php"],
      ["setSiteId", "11"],
      ["disableCookies"],
      ["trackPageView"],
      ["enableLinkTracking"],
    ]);
  });

  test("the tracker library comes from the same origin", () => {
    assert.equal(trackerLibraryUrl({ ...live, origin: "https://stats.example.org" }), "https://stats.example.org/matomo.js");
  });
});
