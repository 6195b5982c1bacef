// The whole build, read back with an HTML parser as a browser would read it.
// Every expectation comes from the sources as they are (src/privacy.md and
// the site data), so a maintainer's edit of the policy keeps these green;
// the same checks then run on a copy with a realistic edit made to it.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { isoDate, readableDate } from "../lib/dates.ts";
import { optOutUrl, trackerDataset } from "../lib/matomo.ts";
import { loadSite } from "../lib/site.ts";
import { buildSite, normalText, sharedBuild, type BuiltSite } from "./helpers/build.ts";
import { findBrokenLinks } from "./helpers/link-check.ts";
import { policyFile, policyUrl, readPolicy, type PolicySource } from "./helpers/policy.ts";
import { gitProject } from "../scripts/harness/project.ts";

const site = loadSite();
const pageFile = `${policyUrl.slice(1)}index.html`;

/** Registers the checks of a built policy page against the Markdown it was built from. */
function describePolicyPage(name: string, load: () => Promise<{ built: BuiltSite; policy: PolicySource }>) {
  describe(name, () => {
    let built: BuiltSite;
    let policy: PolicySource;
    let html: string;
    let document: Document;
    before(async () => {
      ({ built, policy } = await load());
      html = await built.read(pageFile);
      document = await built.document(pageFile);
    });
    const attribute = (selector: string, name: string) => document.querySelector(selector)?.getAttribute(name);
    const main = () => normalText(document.querySelector("main")?.textContent);

    test("has its language and title", () => {
      assert.equal(attribute("html", "lang"), policy.data.lang);
      assert.equal(document.title, `${policy.data.title} | ${site.title}`);
    });

    test("has one h1, the page title, and the Markdown's sections in its order, each with an id", () => {
      assert.deepEqual(
        [...document.querySelectorAll("h1")].map((h) => normalText(h.textContent)),
        [policy.data.title],
      );
      const sections = [...document.querySelectorAll(".content h2, .content h3, .content h4")].map((h) => [
        h.id,
        normalText(h.textContent),
      ]);
      assert.ok(policy.headings.length > 0, "the source has no sections");
      assert.deepEqual(sections, policy.headings);
    });

    test("headings never skip a level", () => {
      const levels = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => Number(h.tagName[1]));
      levels.forEach((level, i) => i > 0 && assert.ok(level <= levels[i - 1]! + 1, `h${levels[i - 1]} then h${level}`));
    });

    test("says every paragraph, list item and heading of its Markdown", () => {
      const blocks = [...policy.content.querySelectorAll("p, li, h2, h3, h4")]
        .map((block) => normalText(block.textContent))
        .filter(Boolean);
      assert.ok(blocks.length > 0, "no text read from the source");
      for (const block of blocks) assert.ok(main().includes(block), `missing: ${block}`);
    });

    test("keeps every link and emphasis of its Markdown, links to the portal made absolute", () => {
      const pageLinks = [...document.querySelectorAll(".content a")].map((a) => [
        normalText(a.textContent),
        a.getAttribute("href"),
      ]);
      for (const link of policy.content.querySelectorAll("a")) {
        const href = link.getAttribute("href")!;
        const expected = href.startsWith("/") && !href.startsWith(policyUrl) ? `${site.origin}${href}` : href;
        assert.ok(
          pageLinks.some(([text, h]) => text === normalText(link.textContent) && h === expected),
          `missing link: ${link.outerHTML}`,
        );
      }
      for (const tag of ["strong", "em", "code"]) {
        const shown = new Set([...document.querySelectorAll(`.content ${tag}`)].map((e) => normalText(e.textContent)));
        for (const element of policy.content.querySelectorAll(tag))
          assert.ok(shown.has(normalText(element.textContent)), `missing <${tag}>: ${element.textContent}`);
      }
    });

    test("embeds the opt-out form once, at Matomo's URL from the site data, named for screen readers", () => {
      const frames = document.querySelectorAll(".opt-out iframe");
      assert.equal(frames.length, 1);
      assert.equal(frames[0]!.getAttribute("src"), optOutUrl(site.matomo, policy.data.lang));
      assert.match(frames[0]!.getAttribute("title") ?? "", /Matomo opt-out/);
      assert.equal(
        document.querySelector(".opt-out-fallback a")?.getAttribute("href"),
        optOutUrl(site.matomo, policy.data.lang),
      );
      // theme.js puts the frame in, in the page's theme; the one above is the <noscript> fallback.
      const placeholder = document.querySelector("[data-opt-out-frame]");
      assert.equal(placeholder?.getAttribute("data-src-light"), optOutUrl(site.matomo, policy.data.lang, "light"));
      assert.equal(placeholder?.getAttribute("data-src-dark"), optOutUrl(site.matomo, policy.data.lang, "dark"));
      assert.equal(placeholder?.getAttribute("data-title"), frames[0]!.getAttribute("title"));
    });

    test("has the meta description, canonical URL and social cards", () => {
      const description = policy.data.description ?? site.description;
      assert.equal(attribute('meta[name="description"]', "content"), description);
      assert.equal(attribute('meta[property="og:description"]', "content"), description);
      assert.equal(attribute('link[rel="canonical"]', "href"), `${site.origin}${policyUrl}`);
      assert.equal(attribute('meta[property="og:url"]', "content"), `${site.origin}${policyUrl}`);
      assert.equal(attribute('meta[name="theme-color"]', "content"), site.themeColor);
      assert.equal(attribute('meta[name="viewport"]', "content"), "width=device-width,initial-scale=1");
    });

    test("says when it was last updated, in a <time datetime>, from its front matter", () => {
      const updated = policy.data.updated;
      assert.ok(updated, "the policy has no updated date");
      assert.equal(attribute(".updated time", "datetime"), isoDate(updated));
      // Built from git, the page links its history next to the date.
      assert.equal(
        normalText(document.querySelector(".updated")?.textContent),
        `Last updated ${readableDate(updated, policy.data.lang)}. Earlier versions and what changed`,
      );
      assert.equal(attribute(".updated a", "href"), `${policyUrl}history/`);
    });

    test("is minified", () => {
      assert.ok(html.startsWith(`<!DOCTYPE html><html lang="${policy.data.lang}"><head>`), html.slice(0, 60));
      assert.doesNotMatch(html, /<!--|>\s+</);
      assert.equal(html.split("\n").length, 1);
    });

    test("every href, src and srcset of the build resolves", async () => {
      assert.deepEqual(await findBrokenLinks(built.folder), []);
    });
  });
}

describePolicyPage("the built privacy page", async () => ({ built: await sharedBuild(), policy: readPolicy() }));

/**
 * The kind of edit a maintainer makes, applied to whatever the policy says
 * today: the first paragraph of each section reworded, the last paragraph
 * removed, a new section with a link to the first one before the last
 * section, and a new date.
 */
function realisticEdit(source: string): string {
  const firstSection = readPolicy(policyFile, source).headings[0]![0];
  const lines = source.split("\n");
  const headings = lines.flatMap((line, i) => (/^##\s/.test(line) ? [i] : []));
  const isParagraph = (line: string | undefined) => !!line && /^[A-Za-z*[]/.test(line);
  for (const heading of headings) {
    const first = lines.findIndex((line, i) => i > heading && isParagraph(line));
    if (first !== -1) lines[first] = `We reworded this paragraph in plain words (${first}).`;
  }
  lines.splice(lines.findLastIndex(isParagraph), 1);
  lines.splice(
    headings.at(-1)!,
    0,
    "## Cookies",
    "",
    `This portal sets no **cookies** of its own; see [the first section](#${firstSection}).`,
    "",
  );
  return lines.join("\n").replace(/^updated: .*$/m, "updated: 2031-01-15");
}

describePolicyPage("the privacy page after a realistic edit", async () => {
  // In git, and not yet committed: a maintainer's edit as the preview and the build see it.
  const project = (await gitProject([], "privacy-edited-")).root;
  const file = join(project, policyFile);
  const edited = realisticEdit(await readFile(file, "utf8"));
  await writeFile(file, edited);
  const policy = readPolicy(file, edited);
  assert.ok(
    policy.headings.some(([, text]) => text === "Cookies"),
    "the edit added no section",
  );
  return { built: await buildSite(join(project, "src")), policy };
});

describe("the built page's landmarks and assets", () => {
  let built: BuiltSite;
  let document: Document;
  before(async () => {
    built = await sharedBuild();
    document = await built.document(pageFile);
  });

  test("has a skip link to the main landmark, and header, nav and footer landmarks", () => {
    assert.equal(document.querySelector("a.skip-link")?.getAttribute("href"), "#main");
    assert.equal(document.querySelector("body > :first-child")?.className, "skip-link");
    assert.ok(document.querySelector("main#main"));
    assert.ok(document.querySelector("body > header"));
    assert.ok(document.querySelector("body > footer"));
    const labels = [...document.querySelectorAll("nav")].map(
      (nav) => nav.getAttribute("aria-label") ?? nav.getAttribute("aria-labelledby"),
    );
    assert.deepEqual(labels, ["Portal", "Portal menu", "Breadcrumbs", "site-navigation"]);
  });

  test("links the footer's pages on the portal, unless this build makes them, and marks the page itself", () => {
    const hrefs = [...document.querySelectorAll("footer nav a")].map((a) => a.getAttribute("href"));
    const expected = site.footerNavigation.map(({ href }) =>
      [href, `${href}/`].includes(policyUrl) ? policyUrl : `${site.origin}${href}`,
    );
    assert.deepEqual(hrefs, expected);
    assert.equal(document.querySelector(`footer a[href="${policyUrl}"]`)?.getAttribute("aria-current"), "page");
  });

  test("loads scripts from files only: the theme before the first paint, then the tracker with the site data's settings", async () => {
    const scripts = [...document.querySelectorAll("script")];
    for (const script of scripts) {
      assert.ok(script.getAttribute("src"), "inline script");
      assert.equal(normalText(script.textContent), "");
    }
    assert.deepEqual(
      scripts.map((script) => [script.getAttribute("src")?.replace(/\.\w+\.js$/, ".js"), script.hasAttribute("defer")]),
      [
        ["/assets/theme.js", false],
        ["/assets/analytics.js", true],
      ],
    );
    const tracker = scripts[1]!;
    assert.deepEqual({ ...(tracker as HTMLElement).dataset }, trackerDataset(site.matomo));
    assert.equal(
      await built.read(tracker.getAttribute("src")!.slice(1)),
      await readFile("src/assets/analytics.js", "utf8"),
    );
    assert.equal(document.querySelectorAll("[style], style").length, 0, "inline style");
    assert.doesNotMatch(document.documentElement.outerHTML, /\son[a-z]+=/i, "inline event handler");
  });

  test("links a minified stylesheet with a content hash in its name", async () => {
    const href = document.querySelector('link[rel="stylesheet"]')?.getAttribute("href") ?? "";
    assert.match(href, /^\/assets\/style\.[0-9a-f]{10}\.css$/);
    const css = await built.read(href.slice(1));
    assert.ok(css.length > 500);
    assert.doesNotMatch(css, /\n|\/\*/);
  });
});
