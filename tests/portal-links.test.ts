import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { resolvePortalLinks } from "../lib/portal-links.ts";

const context = { origin: "https://genomes.scilifelab.se", builtUrls: new Set(["/privacy/"]), currentUrl: "/privacy/" };

describe("portal links", () => {
  test("pages this build does not make are linked on the portal's origin", () => {
    assert.equal(
      resolvePortalLinks('<a href="/contact">x</a>', context),
      '<a href="https://genomes.scilifelab.se/contact">x</a>',
    );
    assert.equal(
      resolvePortalLinks('<a class="a" href="/">x</a>', context),
      '<a class="a" href="https://genomes.scilifelab.se/">x</a>',
    );
  });

  test("pages this build makes keep relative links, with the canonical trailing slash", () => {
    assert.equal(
      resolvePortalLinks('<a href="/privacy#log-data">x</a>', context),
      '<a href="/privacy/#log-data">x</a>',
    );
  });

  test("a link to the page itself is marked as the current page", () => {
    assert.equal(
      resolvePortalLinks('<a href="/privacy">x</a>', context),
      '<a href="/privacy/" aria-current="page">x</a>',
    );
    assert.equal(
      resolvePortalLinks('<a href="/privacy/">x</a>', { ...context, currentUrl: "/terms/" }),
      '<a href="/privacy/">x</a>',
    );
  });

  test("leaves absolute, protocol-relative and fragment links alone", () => {
    const html =
      '<a href="https://example.org/a">a</a><a href="//example.org/">b</a><a href="#main">c</a><link href="/x.css">';
    assert.equal(resolvePortalLinks(html, context), html);
  });
});
