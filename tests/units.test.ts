// The small modules alone: Matomo's URLs and the tracker's settings, the
// security policy and nginx's copy of it, heading ids, the layout's helpers.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { iconSvg, menuLinks, portalLinks, readableDate } from "../lib/layout.ts";
import { createMarkdown } from "../lib/markdown.ts";
import { optOutUrl, trackerAttributes } from "../lib/matomo.ts";
import { nginxSecurityHeaders, securityHeaders, securityPolicy } from "../lib/security-policy.ts";
import { loadSite } from "../lib/site.ts";

const site = loadSite("src/_data/site.json");

describe("Matomo", () => {
  test("the opt-out URL for English is the live site's, to the letter; the themes and more contrast layer their options over it", () => {
    const live =
      "https://matomo.dc.scilifelab.se/index.php?module=CoreAdminHome&action=optOut&language=en&fontSize=16px&fontFamily=Helvetica";
    assert.equal(
      optOutUrl(
        {
          ...site.matomo,
          origin: "https://matomo.dc.scilifelab.se",
          optOut: { fontSize: "16px", fontFamily: "Helvetica" },
        },
        "en",
      ),
      live,
    );
    const matomo = {
      ...site.matomo,
      optOut: { fontSize: "16px" },
      optOutDark: { fontColor: "eee" },
      optOutDarkMoreContrast: { fontColor: "fff" },
    };
    const options = (url: string) =>
      Object.fromEntries([...new URL(url).searchParams].filter(([name]) => /font|background/.test(name)));
    assert.deepEqual(options(optOutUrl(matomo, "sv", "dark")), { fontSize: "16px", fontColor: "eee" });
    assert.deepEqual(options(optOutUrl(matomo, "sv", "dark", true)), { fontSize: "16px", fontColor: "fff" });
    assert.deepEqual(options(optOutUrl({ ...matomo, optOutMoreContrast: undefined }, "sv", "light", true)), {
      fontSize: "16px",
    });
    assert.equal(new URL(optOutUrl(matomo, "sv")).searchParams.get("language"), "sv");
  });
  test("the tracker's settings go on its script tag as data attributes, escaped", () => {
    const attributes = trackerAttributes({ ...site.matomo, origin: 'https://m.example/"&' });
    assert.equal(attributes.split(" ")[0], 'data-matomo-origin="https://m.example/&quot;&amp;"');
    assert.match(
      attributes,
      new RegExp(
        `data-matomo-site-id="${site.matomo.siteId}" data-respect-privacy-signals="${site.matomo.respectPrivacySignals}"`,
      ),
    );
  });
});

describe("the security policy", () => {
  test("strict: nothing by default, no inline code, no wildcard, only Matomo beside our origin; framing limited, popups keep their opener", () => {
    const policy = securityPolicy(site.matomo);
    assert.match(policy, /^default-src 'none'; /);
    assert.doesNotMatch(policy, /unsafe|\*|data:|blob:/);
    assert.deepEqual([...new Set(policy.match(/https:\/\/[^\s;]+/g))], [site.matomo.origin]);
    const headers = securityHeaders(site);
    assert.ok(headers["Content-Security-Policy"]!.endsWith(`frame-ancestors ${site.frameAncestors.join(" ")}`));
    assert.equal(headers["Cross-Origin-Opener-Policy"], "same-origin-allow-popups");
  });
  test("deploy/security-headers.conf is what `npm run nginx-headers` makes from the site data", () => {
    assert.equal(readFileSync("deploy/security-headers.conf", "utf8"), nginxSecurityHeaders(site));
  });
});

describe("the Markdown and the layout's helpers", () => {
  test("headings get GitHub's ids (what markdownlint's MD051 checks links against), unique on the page; raw HTML stays, text is not rewritten", () => {
    const html = createMarkdown().render(
      '## Links to other sites\n\n## What’s new?\n\n## Links to other sites\n\n<a href="/contact">us</a> "quotes" https://example.org',
    );
    assert.deepEqual(
      [...html.matchAll(/id="([^"]+)"/g)].map(([, id]) => id),
      ["links-to-other-sites", "whats-new", "links-to-other-sites-1"],
    );
    assert.match(html, /<a href="\/contact">us<\/a> &quot;quotes&quot; https:\/\/example\.org<\/p>/);
  });
  test("portal links: pages this build does not make go to the portal, those it makes keep a relative link with its slash, and the page's own is marked", () => {
    const built = new Set(["/privacy/", "/404.html"]);
    const links =
      '<a href="/contact">c</a><a href="/privacy">p</a><a href="/privacy/#log-data">l</a><a href="https://x.org/">x</a><a href="#top">t</a>';
    assert.equal(
      portalLinks(links, site.origin, built, "/privacy/"),
      `<a href="${site.origin}/contact">c</a><a href="/privacy/" aria-current="page">p</a><a href="/privacy/#log-data">l</a><a href="https://x.org/">x</a><a href="#top">t</a>`,
    );
  });
  test("the menu in menuOrder, icons hidden from screen readers, dates in UTC as the portal writes them", () => {
    assert.deepEqual(
      menuLinks(site.headerNavigation).map((link) => link.href),
      site.headerNavigation.menuOrder,
    );
    assert.match(iconSvg("linkedin"), /^<svg class="icon" [^>]*aria-hidden="true" focusable="false">/);
    assert.equal(readableDate(new Date("2025-03-05T00:00:00Z"), "en"), "5 March 2025");
    assert.equal(readableDate(new Date("2024-12-31T00:00:00Z"), "sv"), "31 december 2024");
  });
});
