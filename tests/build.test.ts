// The whole build, from the real sources into a temporary folder, read back
// with an HTML parser as a browser would read it.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { before, describe, test } from "node:test";
import MarkdownIt from "markdown-it";
import { parseHTML } from "linkedom";
import { buildSite, normalText, type BuiltSite } from "./helpers/build.ts";

const liveOptOutUrl =
  "https://matomo.dc.scilifelab.se/index.php?module=CoreAdminHome&action=optOut&language=en&fontSize=16px&fontFamily=Helvetica";
const liveSource = readFileSync("tests/fixtures/live-privacy.md", "utf8");

let site: BuiltSite;
let html: string;
let document: Document;

before(async () => {
  site = await buildSite();
  html = await site.read("privacy/index.html");
  document = await site.document("privacy/index.html");
});

const attribute = (selector: string, name: string) => document.querySelector(selector)?.getAttribute(name);

describe("the built privacy page", () => {
  test("is served at /privacy/ with its language and title", () => {
    assert.equal(attribute("html", "lang"), "en");
    assert.equal(document.title, "Privacy policy | Swedish Reference Genome Portal, hosted by SciLifeLab");
  });

  test("has one h1, the page title, and sections in the source's order", () => {
    const h1s = [...document.querySelectorAll("h1")].map((h) => normalText(h.textContent));
    assert.deepEqual(h1s, ["Privacy policy"]);
    const sections = [...document.querySelectorAll("main h2")].map((h) => [h.id, normalText(h.textContent)]);
    assert.deepEqual(sections, [
      ["personal-data", "Personal data"],
      ["log-data", "Log data"],
      ["links-to-other-sites", "Links to other sites"],
      ["changes-to-this-privacy-policy", "Changes to this privacy policy"],
      ["contact-us", "Contact Us"],
    ]);
  });

  test("headings never skip a level", () => {
    const levels = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => Number(h.tagName[1]));
    levels.forEach((level, i) => i > 0 && assert.ok(level <= levels[i - 1]! + 1, `h${levels[i - 1]} then h${level}`));
  });

  test("says every text of the live page's source", () => {
    const source = liveSource.replace(/^---[\s\S]*?---\n/, "").replace(/<iframe[^>]*><\/iframe>/, "");
    const blocks = parseHTML(`<div>${new MarkdownIt({ html: true }).render(source)}</div>`).document.querySelectorAll("p, h3, li");
    const main = normalText(document.querySelector("main")?.textContent);
    assert.ok(blocks.length >= 15, `only ${blocks.length} blocks read from the source`);
    for (const block of blocks) assert.ok(main.includes(normalText(block.textContent)), `missing: ${block.textContent}`);
  });

  test("keeps the content's two links", () => {
    const links = [...document.querySelectorAll(".content > p a")].map((a) => [normalText(a.textContent), a.getAttribute("href")]);
    assert.deepEqual(links, [
      ["genomes.scilifelab.se", "https://genomes.scilifelab.se/"],
      ["contact us", "https://genomes.scilifelab.se/contact"],
    ]);
  });

  test("embeds the opt-out frame at the live URL, named for screen readers", () => {
    const frames = document.querySelectorAll("iframe");
    assert.equal(frames.length, 1);
    assert.equal(frames[0]!.id, "matoOpOut");
    assert.equal(frames[0]!.getAttribute("src"), liveOptOutUrl);
    assert.match(frames[0]!.getAttribute("title") ?? "", /Matomo opt-out/);
  });

  test("offers the opt-out page as a plain link beside the frame", () => {
    const fallback = document.querySelector(".opt-out p a");
    assert.equal(fallback?.getAttribute("href"), liveOptOutUrl);
    assert.match(normalText(fallback?.textContent), /opt-out form on a page of its own/);
  });

  test("has the meta description, canonical URL and social cards", () => {
    const description = "The privacy policy applicable to the Swedish Reference Genome Portal.";
    assert.equal(attribute('meta[name="description"]', "content"), description);
    assert.equal(attribute('meta[property="og:description"]', "content"), description);
    assert.equal(attribute('link[rel="canonical"]', "href"), "https://genomes.scilifelab.se/privacy/");
    assert.equal(attribute('meta[property="og:url"]', "content"), "https://genomes.scilifelab.se/privacy/");
    assert.equal(attribute('meta[name="theme-color"]', "content"), "#a7c947");
    assert.equal(attribute('meta[name="viewport"]', "content"), "width=device-width,initial-scale=1");
  });

  test('says when it was last updated, in a <time datetime>', () => {
    const time = document.querySelector(".updated time");
    assert.equal(time?.getAttribute("datetime"), "2025-03-05");
    assert.equal(normalText(document.querySelector(".updated")?.textContent), "Last updated 5 March 2025");
  });

  test("has a skip link to the main landmark, and header, nav and footer landmarks", () => {
    assert.equal(attribute("a.skip-link", "href"), "#main");
    assert.equal(document.querySelector("body > :first-child")?.className, "skip-link");
    assert.ok(document.querySelector("main#main"));
    assert.ok(document.querySelector("body > header"));
    assert.ok(document.querySelector("body > footer"));
    const labels = [...document.querySelectorAll("nav")].map((nav) => nav.getAttribute("aria-label") ?? nav.getAttribute("aria-labelledby"));
    assert.deepEqual(labels, ["Portal", "Portal menu", "Breadcrumbs", "site-navigation"]);
  });

  test("links the live site's footer pages, on the portal unless this build makes them", () => {
    const hrefs = [...document.querySelectorAll("footer nav a")].map((a) => a.getAttribute("href"));
    const portal = (path: string) => `https://genomes.scilifelab.se${path}`;
    assert.deepEqual(hrefs, [
      portal("/"), portal("/contribute"), portal("/about"), portal("/about/sv"), portal("/contact"), portal("/citation"),
      portal("/glossary"), portal("/user-guide"), portal("/terms"), "/privacy/", portal("/faqs"),
    ]);
    assert.equal(attribute('footer a[href="/privacy/"]', "aria-current"), "page");
  });

  test("loads scripts from files only, and the tracker from the site data", async () => {
    const scripts = [...document.querySelectorAll("script")];
    assert.ok(scripts.length > 0);
    for (const script of scripts) {
      assert.ok(script.getAttribute("src"), "inline script");
      assert.equal(normalText(script.textContent), "");
    }
    // Ours only: the theme before the first paint, and the tracker, which adds matomo.js itself once Matomo is configured.
    assert.deepEqual(
      scripts.map((script) => [script.getAttribute("src")?.replace(/\.\w+\.js$/, ".js"), script.hasAttribute("defer")]),
      [["/assets/theme.js", false], ["/assets/analytics.js", true]],
    );
    const tracker = await site.read(scripts[1]!.getAttribute("src")!.slice(1));
    assert.match(tracker, /"setSiteId","11"/);
    assert.match(tracker, /"disableCookies"/);
    assert.match(tracker, /"https:\/\/matomo\.dc\.scilifelab\.se\/matomo\.js"/);
    assert.equal(document.querySelectorAll("[style], style").length, 0, "inline style");
    assert.doesNotMatch(html, /\son[a-z]+=/i, "inline event handler");
  });

  test("links a minified stylesheet with a content hash in its name", async () => {
    const href = attribute('link[rel="stylesheet"]', "href") ?? "";
    assert.match(href, /^\/assets\/style\.[0-9a-f]{10}\.css$/);
    const css = await site.read(href.slice(1));
    assert.ok(css.length > 500);
    assert.doesNotMatch(css, /\n|\/\*/);
  });

  test("is minified", () => {
    assert.ok(html.startsWith("<!DOCTYPE html><html lang=\"en\"><head>"), html.slice(0, 60));
    assert.doesNotMatch(html, /<!--|>\s+</);
    assert.equal(html.split("\n").length, 1);
  });

  test("the reference copy is the live site's source, byte for byte", (t) => {
    const shared = "../shared/content/privacy.md";
    if (!existsSync(shared)) return t.skip(`${shared} is not beside this checkout`);
    assert.equal(liveSource, readFileSync(shared, "utf8"));
  });
});
