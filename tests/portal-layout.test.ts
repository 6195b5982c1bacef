// The portal's shared layout in the built page: header, banner, breadcrumbs,
// footer, images, type and theme, read back with an HTML parser.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { parseHTML } from "linkedom";
import { createMarkdown } from "../lib/markdown.ts";
import { menuLinks, iconSvg } from "../lib/portal-layout.ts";
import { loadSite } from "../lib/site.ts";
import { sharedBuild, normalText, type BuiltSite } from "./helpers/build.ts";
import { readPolicy } from "./helpers/policy.ts";

const site = loadSite();
const portal = (path: string) => `${site.origin}${path}`;
let built: BuiltSite;
let document: Document;

before(async () => {
  built = await sharedBuild();
  document = await built.document("privacy/index.html");
});

const texts = (selector: string) =>
  [...document.querySelectorAll(selector)].map((element) => normalText(element.textContent));
const hrefs = (selector: string) =>
  [...document.querySelectorAll(selector)].map((element) => element.getAttribute("href"));

describe("the portal's layout", () => {
  test("the header's logo lockup links home, in a light and a dark variant with one text alternative", () => {
    const brand = document.querySelector("header a.brand")!;
    assert.equal(brand.getAttribute("href"), portal("/"));
    const logos = [...brand.querySelectorAll("img")];
    assert.deepEqual(
      logos.map((img) => [img.getAttribute("alt"), img.getAttribute("class")]),
      [
        [site.logo.alt, "logo light-only"],
        [site.logo.alt, "logo dark-only"],
      ],
    );
  });

  test("wide screens get two rows of links, narrow ones a menu of the same links in the portal's order", () => {
    const { secondary, primary, menuOrder } = site.headerNavigation;
    assert.deepEqual(
      texts(".nav-secondary > li > a"),
      secondary.map((link) => link.text),
    );
    assert.deepEqual(
      texts(".nav-primary > li > a"),
      primary.map((link) => link.text),
    );
    assert.deepEqual(
      texts(".nav-menu nav > ul > li > a"),
      menuLinks(site.headerNavigation).map((link) => link.text),
    );
    assert.equal(document.querySelector(".nav-menu")?.tagName, "DETAILS", "the menu must open without JavaScript");
    assert.deepEqual(hrefs(".nav-menu nav > ul > li > a"), menuOrder.map(portal));
  });

  test("the Theme control is in both navigations, two buttons for the two themes", () => {
    const controls = [...document.querySelectorAll("[data-theme-control]")];
    assert.equal(controls.length, 2);
    for (const control of controls) {
      assert.deepEqual(
        [...control.querySelectorAll("button")].map((b) => [
          b.getAttribute("data-theme-value"),
          b.getAttribute("type"),
          normalText(b.textContent),
        ]),
        [
          ["light", "button", "Light"],
          ["dark", "button", "Dark"],
        ],
      );
    }
    assert.ok(controls[0]!.closest(".nav-secondary") && controls[1]!.closest(".nav-menu"));
  });

  test("the banner shows the page title as the one h1 over a decorative image", () => {
    const banner = document.querySelector("main .banner")!;
    assert.equal(normalText(banner.querySelector("h1")?.textContent), readPolicy().data.title);
    const image = banner.querySelector("img")!;
    assert.equal(image.getAttribute("alt"), "");
    assert.equal(image.getAttribute("fetchpriority"), "high");
    assert.equal(image.getAttribute("loading"), "eager");
  });

  test("the breadcrumbs read Home / Privacy policy, the current page as text", () => {
    assert.deepEqual(texts(".breadcrumbs li"), ["Home", readPolicy().data.title]);
    assert.equal(document.querySelector(".breadcrumbs li:last-child a"), null);
    assert.equal(document.querySelector(".breadcrumbs li:last-child")?.getAttribute("aria-current"), "page");
  });

  test("the footer has the portal's Site navigation, in its order and words", () => {
    assert.deepEqual(texts("footer h2"), ["Site navigation", "About the portal", "Supported by", "Stay Updated"]);
    assert.deepEqual(
      texts(".footer-links a"),
      site.footerNavigation.map((link) => link.text),
    );
    for (const link of site.footerNavigation.filter((l) => l.lang)) {
      assert.equal(document.querySelector(`.footer-links a[lang="${link.lang}"]`)?.textContent, link.text);
    }
  });

  test("the footer's About the portal paragraph is the site data's, word for word, with its links", () => {
    const paragraph = document.querySelector('[aria-labelledby="about-the-portal"] p')!;
    const expected = parseHTML(`<p>${createMarkdown().renderInline(site.about)}</p>`).document.querySelector("p")!;
    assert.equal(normalText(paragraph.textContent), normalText(expected.textContent));
    const links = (p: Element) => [...p.querySelectorAll("a")].map((a) => [a.textContent, a.getAttribute("href")]);
    assert.ok(links(expected).length > 0);
    assert.deepEqual(links(paragraph), links(expected));
  });

  test("Supported by: the three funders' logos as links named by their text alternatives, lazy", () => {
    const links = [...document.querySelectorAll(".supporters a")];
    assert.deepEqual(
      links.map((a) => a.getAttribute("href")),
      ["https://kaw.wallenberg.org/en", "https://strategiska.se/en/", "https://www.scilifelab.se/"],
    );
    assert.deepEqual(
      links.map((a) => [...a.querySelectorAll("img")].map((img) => img.getAttribute("alt"))),
      [
        ["Knut and Alice Wallenberg Foundation", "Knut and Alice Wallenberg Foundation"],
        ["Swedish Foundation for Strategic Research", "Swedish Foundation for Strategic Research"],
        ["SciLifeLab", "SciLifeLab"],
      ],
    );
    for (const img of document.querySelectorAll(".supporters img")) assert.equal(img.getAttribute("loading"), "lazy");
  });

  test("Stay Updated: LinkedIn, X and YouTube as inline SVG icons with accessible names, no icon font", () => {
    const links = [...document.querySelectorAll(".social a")];
    assert.deepEqual(
      links.map((a) => [a.getAttribute("href"), normalText(a.querySelector(".visually-hidden")?.textContent)]),
      [
        ["https://www.linkedin.com/company/scilifelab/", "SciLifeLab on LinkedIn"],
        ["https://x.com/scilifelab", "SciLifeLab on X"],
        ["https://www.youtube.com/channel/UCfWQHAK8UW0mPghV8R-Jqzg", "SciLifeLab on YouTube"],
      ],
    );
    for (const svg of document.querySelectorAll(".social svg")) {
      assert.equal(svg.getAttribute("aria-hidden"), "true");
      assert.ok(svg.querySelector("path"));
    }
  });

  test("every image has its width and height, and AVIF with a WebP fallback unless it is an SVG", () => {
    const images = [...document.querySelectorAll("img")];
    assert.ok(images.length >= 9, `only ${images.length} images`);
    for (const img of images) {
      assert.match(img.getAttribute("width") ?? "", /^\d+$/, img.outerHTML);
      assert.match(img.getAttribute("height") ?? "", /^\d+$/, img.outerHTML);
      const src = img.getAttribute("src")!;
      if (src.endsWith(".svg")) continue;
      assert.match(src, /^\/assets\/img\/[\w-]+\.webp$/);
      assert.equal(img.parentElement?.querySelector('source[type="image/avif"]')?.tagName, "SOURCE");
    }
  });

  test("the brand files' MIT licence ships with them, and the favicons are where the portal has them", () => {
    assert.match(readFileSync(join(built.folder, "assets", "img", "LICENSE.txt"), "utf8"), /MIT License/);
    for (const icon of ["favicon-16x16.png", "favicon-32x32.png", "apple-touch-icon.png"])
      assert.ok(existsSync(join(built.folder, "favicons", icon)));
    assert.deepEqual(hrefs('link[rel="icon"], link[rel="apple-touch-icon"]'), [
      "/favicons/apple-touch-icon.png",
      "/favicons/favicon-32x32.png",
      "/favicons/favicon-16x16.png",
    ]);
  });

  test("Roboto comes from our origin, preloaded, and the policy allows fonts from nowhere else", async () => {
    const preload = document.querySelector('link[rel="preload"][as="font"]')!;
    assert.match(preload.getAttribute("href") ?? "", /^\/assets\/roboto\.[0-9a-f]{10}\.woff2$/);
    const css = await built.read(document.querySelector('link[rel="stylesheet"]')!.getAttribute("href")!.slice(1));
    assert.ok(css.includes(`src:url(${preload.getAttribute("href")}) format("woff2")`));
    assert.match(css, /font-display:optional/);
    assert.match(css, /font-family:"Roboto Fallback";src:local\("Arial"\)/);
    assert.doesNotMatch(css + document.documentElement.outerHTML, /fonts\.(googleapis|gstatic)\.com/);
    assert.match(
      document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute("content") ?? "",
      /font-src 'self';/,
    );
  });
});

describe("the layout's helpers", () => {
  test("the narrow screens' menu takes the header's links in menuOrder", () => {
    const link = (href: string) => ({ href, text: href });
    assert.deepEqual(
      menuLinks({ primary: [link("/"), link("/b")], secondary: [link("/a")], menuOrder: ["/a", "/", "/b"] }).map(
        (l) => l.href,
      ),
      ["/a", "/", "/b"],
    );
  });

  test("an icon is an inline SVG hidden from assistive technology", () => {
    assert.match(
      iconSvg("youtube"),
      /^<svg class="icon" width="16" height="16" fill="currentColor" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M/,
    );
  });
});
