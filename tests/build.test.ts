// The production build of the project's own sources, read back against them:
// the policy's words, the portal's layout from the site data, the opt-out
// form and tracker from the Matomo settings, valid HTML, links that resolve,
// and the project's own earlier versions dated by their releases.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { HtmlValidate } from "html-validate";
import { parseHTML } from "linkedom";
import { readFrontMatter, type FrontMatter } from "../lib/checks/front-matter.ts";
import { isoDate, readableDate } from "../lib/layout.ts";
import { createMarkdown } from "../lib/markdown.ts";
import { optOutUrl, trackerAttributes } from "../lib/matomo.ts";
import { securityPolicy } from "../lib/security-policy.ts";
import { loadSite } from "../lib/site.ts";
import { copyProject, type Project } from "./helpers/project.ts";

const site = loadSite("src/_data/site.json");
const source = readFileSync("src/privacy.md", "utf8");
const policy = readFrontMatter(source, "src/privacy.md").data as FrontMatter;
const lang = policy.lang ?? "en";
/** The policy's Markdown, rendered as the build renders it, without its template code. */
const expected = parseHTML(
  `<main>${createMarkdown().render(source.replace(/^---[\s\S]*?\n---\n|\{%.*?%\}/g, ""))}</main>`,
).document;

let project: Project;
let files: string[];
const read = (path: string) => readFileSync(join(project.root, "public", path), "utf8");
const page = (path: string) => parseHTML(read(path)).document;

describe("the production build of the project's sources", () => {
  before(async () => {
    project = copyProject({ git: true });
    const run = await project.npm("build");
    assert.equal(run.code, 0, run.stderr);
    files = readdirSync(join(project.root, "public"), { recursive: true, encoding: "utf8" });
  });

  test("the policy has its language, title, one h1, and the Markdown's sections, paragraphs and links in order", () => {
    const document = page("privacy/index.html");
    assert.equal(document.documentElement.getAttribute("lang"), lang);
    assert.equal(document.title, `${policy.title} | ${site.title}`);
    assert.deepEqual(
      [...document.querySelectorAll("h1")].map((h1) => h1.textContent),
      [policy.title],
    );
    const sections = (doc: Document) => [...doc.querySelectorAll("main h2, main h3")].map((h) => [h.id, h.textContent]);
    assert.deepEqual(sections(document).slice(0, sections(expected).length), sections(expected));
    const words = (doc: Document) =>
      [...doc.querySelectorAll("main p, main li")].map((p) => p.textContent?.replace(/\s+/g, " ").trim());
    for (const text of words(expected)) assert.ok(words(document).includes(text), `missing: ${text}`);
    // Links keep their words; root paths of the portal go to its origin, pages of this build stay relative.
    const links = (doc: Document) =>
      [...doc.querySelectorAll(".content a")].map((a) => [a.textContent, a.getAttribute("href")]);
    const absolute = ([text, href]: (string | null)[]) => [
      text,
      href?.startsWith("/") && href !== "/privacy/" ? `${site.origin}${href}` : href,
    ];
    assert.deepEqual(links(document).slice(0, links(expected).length), links(expected).map(absolute));
  });

  test("the head: description, canonical URL, social cards, the security policy, and scripts from files only", () => {
    const document = page("privacy/index.html");
    const meta = (selector: string) => document.querySelector(selector)?.getAttribute("content");
    assert.equal(meta('meta[name="description"]'), policy.description ?? site.description);
    assert.equal(document.querySelector('link[rel="canonical"]')?.getAttribute("href"), `${site.origin}/privacy/`);
    assert.equal(meta('meta[property="og:title"]'), policy.title);
    assert.equal(meta('meta[http-equiv="Content-Security-Policy"]'), securityPolicy(site.matomo));
    const scripts = [...document.querySelectorAll("script")];
    assert.ok(
      scripts.every((script) => script.getAttribute("src")?.startsWith("/assets/") && !script.textContent),
      "inline script",
    );
    assert.equal(document.querySelectorAll("style, [style]").length, 0, "inline style");
    // The theme is set before the first paint; the tracker, deferred, carries the site data's settings.
    assert.match(scripts[0]!.getAttribute("src")!, /^\/assets\/theme\.[0-9a-f]{10}\.js$/);
    assert.ok(read("privacy/index.html").includes(trackerAttributes(site.matomo)));
    const stylesheet = document.querySelector('link[rel="stylesheet"]')!.getAttribute("href")!;
    assert.match(stylesheet, /^\/assets\/style\.[0-9a-f]{10}\.css$/);
    assert.equal(read(stylesheet).split("\n").length <= 3, true, "the stylesheet is not minified");
    assert.ok(!/>\s*\n\s*</.test(read("privacy/index.html")), "the page is not minified");
  });

  test("the opt-out form once, at Matomo's URLs from the site data in each theme, framed with a title without JavaScript", () => {
    const document = page("privacy/index.html");
    const [placeholder, ...more] = document.querySelectorAll("[data-opt-out-frame]");
    assert.equal(more.length, 0);
    for (const theme of ["light", "dark"] as const) {
      assert.equal(placeholder!.getAttribute(`data-src-${theme}`), optOutUrl(site.matomo, lang, theme));
      assert.equal(placeholder!.getAttribute(`data-src-${theme}-more`), optOutUrl(site.matomo, lang, theme, true));
    }
    const noscript = parseHTML(placeholder!.querySelector("noscript")!.innerHTML).document.querySelector("iframe")!;
    assert.equal(noscript.getAttribute("src"), optOutUrl(site.matomo, lang));
    assert.ok(noscript.getAttribute("title"));
  });

  test("says when it was last updated, from the front matter, and links its earlier versions and their feed", () => {
    const document = page("privacy/index.html");
    const time = document.querySelector(".updated time")!;
    assert.equal(time.getAttribute("datetime"), isoDate(policy.updated!));
    assert.equal(time.textContent, readableDate(policy.updated!, lang));
    assert.equal(document.querySelector(".updated a")?.getAttribute("href"), "/privacy/history/");
    assert.equal(
      document.querySelector('link[type="application/atom+xml"]')?.getAttribute("href"),
      "/privacy/history/feed.atom",
    );
  });

  test("the portal's layout from the site data: skip link, landmarks, navigations, breadcrumbs, footer", () => {
    const document = page("privacy/index.html");
    assert.equal(document.querySelector("a.skip-link")?.getAttribute("href"), "#main");
    for (const landmark of ["header", "main#main", "nav", "footer"])
      assert.ok(document.querySelector(landmark), landmark);
    const onPortal = (hrefs: string[]) =>
      hrefs.map((href) => (href === "/privacy" ? "/privacy/" : `${site.origin}${href}`));
    const { primary, secondary, menuOrder } = site.headerNavigation;
    const lists: [string, string, string[]][] = [
      [".nav-secondary > li > a", "text", secondary.map((link) => link.text)],
      [".nav-primary a", "href", onPortal(primary.map((link) => link.href))],
      [".nav-menu nav > ul > li > a", "href", onPortal(menuOrder)],
      [".breadcrumbs li", "text", ["Home", policy.title]],
      [".footer-links a", "text", site.footerNavigation.map((link) => link.text)],
      [".footer-links a", "href", onPortal(site.footerNavigation.map((link) => link.href))],
      [".social a", "text", site.social.map((account) => account.name)],
      [".social svg[aria-hidden]", "aria-hidden", site.social.map(() => "true")],
      [".supporters img", "alt", site.supporters.flatMap(({ name }) => [name, name])],
    ];
    for (const [selector, attribute, values] of lists) {
      const found = [...document.querySelectorAll(selector)].map((element) =>
        attribute === "text" ? element.textContent : element.getAttribute(attribute),
      );
      assert.deepEqual(found, values, selector);
    }
    assert.equal(document.querySelectorAll("[data-theme-value]").length, 4, "the Theme control in both navigations");
    assert.equal(document.querySelector('.footer-links a[href="/privacy/"]')?.getAttribute("aria-current"), "page");
    const about = createMarkdown()
      .renderInline(site.about)
      .replace(/<[^>]+>/g, "");
    assert.equal(document.querySelector("footer section p")?.textContent, about);
  });

  test("every image has its size, AVIF with a WebP fallback (an SVG as it is), and ships with the brand files' licence", () => {
    for (const path of files.filter((file) => file.endsWith(".html"))) {
      for (const img of page(path).querySelectorAll("img")) {
        assert.ok(img.getAttribute("width") && img.getAttribute("height"), `${path}: ${img.getAttribute("src")}`);
        const avif = img.parentElement?.querySelector('source[type="image/avif"]');
        assert.ok(avif || img.getAttribute("src")!.endsWith(".svg"), img.getAttribute("src")!);
      }
    }
    // The favicons are links, checked with every other below.
    for (const licence of ["assets/img/LICENSE.txt", "assets/OFL.txt"]) assert.ok(files.includes(licence), licence);
  });

  test("every page passes html-validate's recommended rules, and every href, src and srcset resolves", async () => {
    const validator = new HtmlValidate({ extends: ["html-validate:recommended"] });
    const pages = files.filter((file) => file.endsWith(".html"));
    assert.ok(pages.length >= 4, `${pages}`);
    for (const path of pages) {
      const { valid, results } = await validator.validateString(read(path), path);
      assert.ok(valid, results.flatMap((r) => r.messages.map((m) => `${path}:${m.line} ${m.message}`)).join("\n"));
      const urls = [...page(path).querySelectorAll("[href], [src], [srcset]")].flatMap((element) => [
        element.getAttribute("href") ?? element.getAttribute("src") ?? "",
        ...(element.getAttribute("srcset") ?? "").split(",").map((candidate) => candidate.trim().split(" ")[0]!),
      ]);
      for (const url of urls.filter((url) => url && !/^(https?:|mailto:)/.test(url))) {
        const target = new URL(url, `https://x/${path}`);
        const name = target.pathname.slice(1);
        const file = [name, `${name}index.html`, `${name}/index.html`].find((file) => files.includes(file));
        const id = decodeURIComponent(target.hash.slice(1));
        assert.ok(file && (!id || page(file).getElementById(id)), `${path}: ${url}`);
      }
    }
  });

  test("the project's own versions from before this repository: each in force from the release that published it, with when its words were written, and the drafts before it", () => {
    const history = page("privacy/history/index.html");
    const folder = "earlier-versions/privacy";
    for (const name of readdirSync(folder).filter((file) => file.endsWith(".md"))) {
      const data = Object.fromEntries(
        [...readFileSync(join(folder, name), "utf8").matchAll(/^(\w+): (.+)$/gm)].map((m) => [m[1], m[2]]),
      );
      const release = `https://github.com/${data.repository}/releases/tag/${data.release}`;
      const published = [...history.querySelectorAll(".published")].find((p) =>
        p.querySelector(`a[href="${release}"]`),
      );
      assert.ok(published, `no version published by ${data.release}, linked to its release`);
      assert.deepEqual(
        [...published.querySelectorAll("time")].map((time) => time.getAttribute("datetime")),
        [data.written, data.released],
      );
    }
    assert.match(
      history.querySelector("section.version:last-of-type a[href*='/commits/']")?.getAttribute("href") ?? "",
      /^https:\/\/github\.com\/.+\/commits\/[0-9a-f]{40}\//,
    );
  });
});
