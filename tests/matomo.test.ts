import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import {
  dataAttributes,
  optOutUrl,
  privacySignalNoticeId,
  trackerDataset,
  type MatomoSettings,
} from "../lib/matomo.ts";
import { loadSite } from "../lib/site.ts";

const live: MatomoSettings = {
  origin: "https://matomo.dc.scilifelab.se",
  siteId: 11,
  optOutPage: "/privacy/",
  optOut: { fontSize: "16px", fontFamily: "Helvetica" },
  optOutDark: { fontColor: "dee2e6", backgroundColor: "2b3035" },
  // Ours, for visitors whose system asks for more contrast: black on white, white on black.
  optOutMoreContrast: { fontColor: "000000", backgroundColor: "ffffff" },
  optOutDarkMoreContrast: { fontColor: "ffffff", backgroundColor: "000000" },
  respectPrivacySignals: true,
  privacySignalNotice:
    "Your browser asks websites not to track you (Do Not Track or Global Privacy Control). We honour that: your visits to this portal are not counted, whatever the form below shows.",
};

type Listener = (event: unknown) => void;

const trackerSource = readFileSync("src/assets/analytics.js", "utf8");

/** Runs the tracker script, with `settings` on its script tag, against a stand-in window, navigator and document, and returns what it did. */
function runTracker(
  settings: MatomoSettings,
  navigator: { doNotTrack?: string | null; globalPrivacyControl?: boolean } = {},
) {
  const queue: unknown[] = [];
  const appended: { src: string; async: boolean; queuedBefore: number }[] = [];
  const listeners: Listener[] = [];
  const notice = { hidden: true };
  const window = {
    _paq: undefined as unknown,
    addEventListener: (type: string, listener: Listener) => type === "message" && listeners.push(listener),
  };
  const document = {
    currentScript: { dataset: trackerDataset(settings) },
    getElementById: (id: string) => (id === privacySignalNoticeId ? notice : null),
    createElement: () => ({ src: "", async: false }),
    head: {
      appendChild: (script: { src: string; async: boolean }) =>
        appended.push({ ...script, queuedBefore: queue.length }),
    },
  };
  // Array.from: the script runs in a context of its own, whose arrays are not this one's.
  window._paq = { push: (...commands: unknown[][]) => queue.push(...commands.map((command) => Array.from(command))) };
  runInNewContext(trackerSource, { window, navigator, document });
  return { queue, appended, listeners, notice };
}

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

  test("with more contrast, the opt-out URL layers its options over the light or the dark ones, and without them is the theme's own", () => {
    const options = (url: string) => Object.fromEntries(new URL(url).searchParams);
    assert.deepEqual(options(optOutUrl(live, "en", "dark", true)), {
      ...options(optOutUrl(live, "en", "dark")),
      fontColor: "ffffff",
      backgroundColor: "000000",
    });
    assert.deepEqual(options(optOutUrl(live, "en", "light", true)), {
      ...options(optOutUrl(live, "en", "light")),
      fontColor: "000000",
      backgroundColor: "ffffff",
    });
    const { optOutMoreContrast: _, optOutDarkMoreContrast: __, ...plain } = live;
    assert.equal(optOutUrl(plain, "en", "dark", true), optOutUrl(plain, "en", "dark"));
  });

  test("the opt-out URL follows the page's language and encodes option values", () => {
    const url = new URL(optOutUrl({ ...live, optOut: { fontFamily: "Helvetica, Arial" } }, "sv"));
    assert.equal(url.searchParams.get("language"), "sv");
    assert.equal(url.searchParams.get("fontFamily"), "Helvetica, Arial");
    assert.equal(url.searchParams.get("fontSize"), null);
  });

  test("the tracker is configured cookieless, on the configured origin and site id, before matomo.js is added", () => {
    const { queue, appended, notice } = runTracker(live);
    assert.deepEqual(queue, [
      ["setTrackerUrl", "https://matomo.dc.scilifelab.se/matomo.php"],
      ["setSiteId", "11"],
      ["disableCookies"],
      ["trackPageView"],
      ["enableLinkTracking"],
    ]);
    assert.deepEqual(appended, [{ src: "https://matomo.dc.scilifelab.se/matomo.js", async: true, queuedBefore: 5 }]);
    assert.equal(notice.hidden, true);
  });

  test("the tracker's settings go on its script tag as data attributes, escaped", () => {
    assert.equal(
      dataAttributes(trackerDataset(live)),
      `data-matomo-origin="https://matomo.dc.scilifelab.se" data-matomo-site-id="11" data-respect-privacy-signals="true" data-privacy-signal-notice="${privacySignalNoticeId}"`,
    );
    assert.equal(dataAttributes({ noteText: 'a "b" & c' }), 'data-note-text="a &quot;b&quot; &amp; c"');
  });

  test("the tracker library comes from the configured origin", () => {
    assert.equal(
      runTracker({ ...live, origin: "https://stats.example.org" }).appended[0]!.src,
      "https://stats.example.org/matomo.js",
    );
  });

  for (const [signal, navigator] of [
    ["Do Not Track", { doNotTrack: "1" }],
    ["Global Privacy Control", { globalPrivacyControl: true }],
  ] as const) {
    test(`with ${signal} nothing is queued or loaded, and the notice shows`, () => {
      const { queue, appended, listeners, notice } = runTracker(live, navigator);
      assert.deepEqual([queue, appended, listeners.length], [[], [], 0]);
      assert.equal(notice.hidden, false);
    });

    test(`with ${signal} and the switch off, the visit is counted as before`, () => {
      const { queue, appended, notice } = runTracker({ ...live, respectPrivacySignals: false }, navigator);
      assert.equal(queue.length, 5);
      assert.equal(appended.length, 1);
      assert.equal(notice.hidden, true);
    });
  }

  test("opting back in through the frame lifts the opt-out without cookies, and answers the frame itself", () => {
    const { queue, listeners } = runTracker(live);
    const replies: [string, string][] = [];
    let stopped = false;
    const event = (origin: string, data: unknown) => ({
      origin,
      data: JSON.stringify(data),
      source: { postMessage: (message: string, target: string) => replies.push([message, target]) },
      stopImmediatePropagation: () => (stopped = true),
    });
    listeners[0]!(event("https://elsewhere.example", { maq_opted_in: true }));
    listeners[0]!(event(live.origin, { maq_opted_in: false }));
    listeners[0]!(event(live.origin, { maq_initial_value: true }));
    assert.equal(queue.length, 5, "only an opt-in from Matomo's origin is handled here");
    assert.equal(stopped, false);

    listeners[0]!(event(live.origin, { maq_opted_in: true }));
    assert.equal(stopped, true, "matomo.js's own handler would turn cookies on");
    assert.deepEqual(queue[5], ["forgetUserOptOut"]);
    const reply = queue[6] as [(this: object) => void];
    reply[0].call({ hasConsent: () => true, getMatomoUrl: () => `${live.origin}/`, isConsentRequired: () => true });
    assert.deepEqual(replies, [
      [
        JSON.stringify({ maq_confirm_opted_in: true, maq_url: `${live.origin}/`, maq_optout_by_default: true }),
        live.origin,
      ],
    ]);
  });
});
