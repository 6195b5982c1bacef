// Every page with "history: true" in its front matter gets, from its git
// history, read once per build:
// - /<page>/history/: its versions, newest first, each with what changed;
// - /<page>/history/<date>/: each earlier version whole, marked as no longer
//   in force, without the opt-out form or the tracker, kept out of search;
// - /<page>/history/feed.atom: an Atom feed with an entry per version.
// The production build stops when the text changed but "updated" did not;
// the dev server warns and goes on. Without git the page is built without
// its history; in a shallow clone the build stops (see git.ts).
//
// An earlier version never changes, so a build keeps what it made in
// .cache/history/ for the next: the versions read from git, and the earlier
// versions' pages as written. The next build writes those pages into the
// output itself, while Eleventy renders the others, instead of having
// Eleventy render them again (each page costs it several milliseconds), as
// long as nothing they were made from has changed (fingerprint.ts).
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { hashOf, type TextCache } from "../build-cache.ts";
import { readableDate } from "../dates.ts";
import type { Plugin } from "../eleventy.ts";
import type { BuildPages, CheckedPage } from "../page-checks.ts";
import { SourceError } from "../source-error.ts";
import { changesBetween, changesHtml } from "./changes.ts";
import { buildFingerprint, type BuildFingerprint } from "./fingerprint.ts";
import { checkedOutCommit, fileChanges, historyUnknown, readBlobs, type FileChange } from "./git.ts";
import { pageVersions, type Version } from "./versions.ts";

export interface PageHistoryOptions {
  /** The pages pageChecks read for this build (it is registered first): their front matter says which have history. */
  pages: BuildPages;
  /** Where the site is served, for the feed's absolute links and ids. */
  origin: string;
  /** The feed's author: who publishes the page. */
  publisher: string;
  /** The page with the opt-out form, where an earlier version's form now is. */
  optOutPage: string;
  /** Whether a changed text with an unchanged "updated" stops the build (production) or only warns (dev server). */
  strict: boolean;
  /** Where the one-line notes go: a page built without history, the dev server's warning. */
  log?: (line: string) => void;
  /** Where the versions read from git and the earlier versions' pages are kept between builds. */
  cache: TextCache;
  /** Filled in each build with the URLs of the earlier versions' pages copied from the cache instead of rendered: pages of this build all the same. */
  copiedPages: Set<string>;
}

/** What the layout links to from a page with history. */
export interface HistoryLinks {
  url: string;
  feedUrl: string;
  feedTitle: string;
}

interface VersionEntry {
  slug: string;
  /** YYYY-MM-DD, and as a date for the templates' filters. */
  day: string;
  date: Date;
  /** Where it is read: the page itself for the version in force. */
  url: string;
  current: boolean;
  /** The HTML list of what changed since the version before; none for the first. */
  changes?: string;
}

/** One HTML page the history adds: the list of versions, or an earlier version whole. */
export interface HistoryPage {
  url: string;
  title: string;
  /** The window's title: short, with the site's name (html-validate keeps it to 70 characters). */
  documentTitle: string;
  description: string;
  lang: string;
  noindex: boolean;
  /** The layout's breadcrumbs between Home and the page itself. */
  breadcrumbs: { href: string; text: string }[];
  page: { url: string; title: string };
  links: HistoryLinks;
  /** On the list: every version, newest first. */
  versions?: VersionEntry[];
  /** On an earlier version's page: its date, the next version's, and its text. */
  version?: { date: Date; until: Date; html: string };
}

export interface HistoryFeed {
  url: string;
  lang: string;
  id: string;
  title: string;
  updated: string;
  author: { name: string; uri: string };
  links: { self: string; history: string };
  entries: { id: string; title: string; link: string; updated: string; content: string }[];
}

/** A version as the history shows it, with what changed from the version before (none for the first). */
type VersionRecord = Omit<Version, "blocks"> & { changes?: string };

interface Histories {
  /** The pages for Eleventy to render. */
  pages: HistoryPage[];
  /** The earlier versions' pages kept from a build before, being written into the output. */
  copying?: Promise<unknown>;
  /** Or the earlier versions' pages Eleventy renders, to be kept under `key` once written. */
  toKeep?: { key: string; urls: Set<string> };
  feeds: HistoryFeed[];
  /** By the absolute path of the page's Markdown. */
  links: Map<string, HistoryLinks>;
}

/** The URL Eleventy gives a Markdown page: its permalink, or its path as a folder (index.md is its folder's). */
export function pageUrl(input: string, file: string, permalink?: string | false): string {
  if (typeof permalink === "string") return permalink.replace(/(index)?\.html$/, "").replace(/\/?$/, "/");
  const path = relative(input, file).split(sep).join("/").replace(/\.md$/, "").replace(/(^|\/)index$/, "");
  return path ? `/${path}/` : "/";
}

const utcDate = (date: string) => new Date(`${date}T00:00:00Z`);
const atomDate = (date: string) => `${date}T00:00:00Z`;
const host = (origin: string) => new URL(origin).hostname;

/**
 * The page's versions, oldest first, each with what changed. Kept in the
 * cache by the blobs' ids (which name their texts), the text being built and
 * the code: a build after a commit or an edit reads the texts from git again.
 */
async function readVersions({ file, text: source }: CheckedPage, changes: FileChange[], formNotice: string, cache: TextCache, code: string): Promise<VersionRecord[]> {
  const key = `${hashOf("versions", code, formNotice, JSON.stringify(changes), source)}.json`;
  const kept = await cache.read(key);
  if (kept !== undefined) return JSON.parse(kept) as VersionRecord[];
  const texts = await readBlobs(dirname(file), changes.map((change) => change.blob));
  const versions = pageVersions([...changes.map(({ commit, date }, i) => ({ text: texts[i]!, commit, commitDate: date })), { text: source }], { formNotice });
  const records: VersionRecord[] = versions.map(({ blocks, ...version }, i) => ({
    ...version,
    changes: i === 0 ? undefined : changesHtml(changesBetween(versions[i - 1]!.blocks, blocks)),
  }));
  await cache.write(key, JSON.stringify(records));
  return records;
}

/** The history of one page, from the commits that changed it: checks the newest version's date, and lays out the pages and the feed. */
async function pageHistory(page: CheckedPage, changes: FileChange[], url: string, code: string, options: PageHistoryOptions): Promise<{ pages: HistoryPage[]; feed: HistoryFeed; links: HistoryLinks }> {
  const { file, text: source, data } = page;
  const formNotice = `<p class="form-was-here">Here this version had Matomo's opt-out form: <a href="${options.optOutPage}">use it on the page in force</a>.</p>`;
  const versions = await readVersions(page, changes, formNotice, options.cache, code);
  checkVersionDate(versions, source, file, options);

  const links: HistoryLinks = { url: `${url}history/`, feedUrl: `${url}history/feed.atom`, feedTitle: `${data.title}: changes` };
  const newest = versions.at(-1)!;
  const versionUrl = (version: VersionRecord) => (version === newest ? url : `${links.url}${version.slug}/`);
  const entries: VersionEntry[] = versions
    .map((version) => ({ slug: version.slug, day: version.date, date: utcDate(version.date), url: versionUrl(version), current: version === newest, changes: version.changes }))
    .reverse();
  const common = { lang: data.lang ?? "en", page: { url, title: data.title }, links };
  const historyTitle = `${data.title}: earlier versions and what changed`;
  const pages: HistoryPage[] = [
    {
      ...common,
      url: links.url,
      title: historyTitle,
      documentTitle: `${data.title}: earlier versions | ${options.publisher}`,
      description: `Every version of the ${data.title.toLowerCase()}, newest first, with the words each version added and removed.`,
      noindex: false,
      breadcrumbs: [{ href: url, text: data.title }],
      versions: entries,
    },
    ...versions.slice(0, -1).map((version, i) => ({
      ...common,
      url: versionUrl(version),
      title: `${version.title}, version of ${readableDate(utcDate(version.date), common.lang)}`,
      documentTitle: `${data.title} of ${readableDate(utcDate(version.date), common.lang)} | ${options.publisher}`,
      description: `The ${data.title.toLowerCase()} as it was from ${readableDate(utcDate(version.date), common.lang)}; no longer in force.`,
      // An old text in search results would be taken for the policy in force.
      noindex: true,
      breadcrumbs: [
        { href: url, text: data.title },
        { href: links.url, text: "Earlier versions" },
      ],
      version: { date: utcDate(version.date), until: utcDate(versions[i + 1]!.date), html: version.html },
    })),
  ];

  const absolute = (path: string) => `${options.origin}${path}`;
  const feed: HistoryFeed = {
    url: links.feedUrl,
    lang: common.lang,
    id: absolute(links.feedUrl),
    title: links.feedTitle,
    updated: atomDate(newest.date),
    author: { name: options.publisher, uri: `${options.origin}/` },
    links: { self: absolute(links.feedUrl), history: absolute(links.url) },
    entries: entries.map((entry) => ({
      // A tag URI (RFC 4151): the same for this version in every build, wherever its text is read.
      id: `tag:${host(options.origin)},${entry.day}:${url}history/${entry.slug}`,
      title: `${data.title}, version of ${readableDate(entry.date, common.lang)}`,
      link: absolute(entry.url),
      updated: atomDate(entry.day),
      content: entry.changes ?? `<p>The first version of the ${data.title.toLowerCase()}.</p>`,
    })),
  };
  return { pages, feed, links };
}

/** The newest version's words changed, so its "updated" must be later than the version before's. */
export function checkVersionDate(versions: Pick<Version, "date">[], source: string, file: string, { strict, log = console.warn }: Pick<PageHistoryOptions, "strict" | "log">): void {
  const line = source.split(/\r?\n/).findIndex((text) => text.startsWith("updated:")) + 1;
  const newest = versions.at(-1)!;
  const before = versions.at(-2);
  let problem: SourceError | undefined;
  if (line === 0) {
    problem = new SourceError(file, 1, 'this page publishes its history ("history: true"), which dates each version by its "updated", but the page has none.', 'add "updated: YYYY-MM-DD", the date this text takes effect, between the two "---" lines.');
  } else if (before && newest.date <= before.date) {
    const when = readableDate(utcDate(before.date), "en");
    problem = new SourceError(
      file,
      line,
      newest.date === before.date ? `the text changed since the version of ${when}, but "updated" did not.` : `the text changed since the version of ${when}, but "updated" went back to ${newest.date}.`,
      `set "updated:" to the date this text takes effect (later than ${before.date}); visitors and the feed date the change by it.`,
    );
  }
  if (!problem) return;
  if (strict) throw problem;
  log(`Warning: ${problem.message}`);
}

export const pageHistories: Plugin<PageHistoryOptions> = (eleventyConfig, options) => {
  const directories = eleventyConfig.directories;
  let building: Promise<Histories> | undefined;
  let built: Histories | undefined;

  async function histories(): Promise<Histories> {
    const found: Histories = { pages: [], feeds: [], links: new Map() };
    const checked = await options.pages.current;
    if (!checked) throw new Error("pageHistories needs pageChecks, registered before it, to read the pages");
    const withHistory = [...checked.values()].filter((page) => page.data.history).sort((a, b) => a.file.localeCompare(b.file));
    if (withHistory.length === 0) return (built = found);
    const files = withHistory.map((page) => page.file);
    const read = await readChanges(files);
    if (typeof read === "string") {
      const pages = withHistory.length === 1 ? withHistory[0]!.file : `${withHistory.length} pages with history: true`;
      (options.log ?? console.warn)(`Built ${pages} without its earlier versions, since ${read}.`);
      return (built = found);
    }
    const { changes, fingerprint } = read;
    const { code } = fingerprint;
    for (const [i, page] of withHistory.entries()) {
      const made = await pageHistory(page, changes[i]!, pageUrl(directories.input, page.file, page.data.permalink), code, options);
      found.pages.push(...made.pages);
      found.feeds.push(made.feed);
      found.links.set(resolve(page.file), made.links);
    }
    await keepEarlierVersions(found, fingerprint);
    return (built = found);
  }

  /**
   * The commits that changed each of `files`, and the build's fingerprint; or why git cannot tell.
   * A commit names its whole history, so git's answer is kept by the commit checked out (read
   * without starting git) and each file's path: the next build of that commit starts no git.
   */
  async function readChanges(files: string[]): Promise<{ changes: FileChange[][]; fingerprint: BuildFingerprint } | string> {
    const head = checkedOutCommit(directories.input);
    const keys = head ? files.map((file) => `${hashOf("log", head.commit, head.config, relative(head.root, file))}.json`) : [];
    const kept = await Promise.all(keys.map((key) => options.cache.read(key)));
    if (head && kept.every((log) => log !== undefined)) {
      return { changes: kept.map((log) => JSON.parse(log) as FileChange[]), fingerprint: buildFingerprint(directories, files) };
    }
    // git's probe and the files' logs run side by side, and meanwhile the fingerprint is made.
    // A log's failure counts only where the probe finds a history to read (then it is awaited below).
    const probe = historyUnknown(directories.input, files);
    const logs = files.map((file) => fileChanges(file));
    for (const running of [probe, ...logs]) running.catch(() => undefined);
    const fingerprint = buildFingerprint(directories, files);
    const unknown = await probe;
    if (unknown) return unknown;
    const changes = await Promise.all(logs);
    // Kept only if no commit came meanwhile.
    if (head && checkedOutCommit(directories.input)?.commit === head.commit) await Promise.all(keys.map((key, i) => options.cache.write(key, JSON.stringify(changes[i]))));
    return { changes, fingerprint };
  }

  /**
   * Where a build before kept the earlier versions' pages, takes them out of
   * `found.pages` and starts writing them into the output while Eleventy
   * renders the rest; otherwise they are to be kept once rendered.
   */
  async function keepEarlierVersions(found: Histories, { site }: BuildFingerprint): Promise<void> {
    const earlier = found.pages.filter((page) => page.version);
    if (earlier.length === 0) return;
    // A page's links depend on which URLs the build makes (lib/portal-links.ts): all are part of the key.
    const key = `${hashOf("pages", site, JSON.stringify(found.pages.map((page) => page.url)), JSON.stringify(earlier))}.json`;
    const kept = await options.cache.read(key);
    if (kept === undefined) {
      found.toKeep = { key, urls: new Set(earlier.map((page) => page.url)) };
      return;
    }
    const pages = Object.entries(JSON.parse(kept) as Record<string, string>);
    found.pages = found.pages.filter((page) => !page.version);
    for (const [url] of pages) options.copiedPages.add(url);
    // Eleventy writes a page at a URL ending in / as its folder's index.html.
    const writing = pages.map(async ([url, html]) => {
      const folder = join(directories.output, url);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, "index.html"), html);
    });
    // Awaited once the build is written (eleventy.after); a failed production build drops its whole folder (lib/build.ts).
    found.copying = Promise.all(writing);
    found.copying.catch(() => undefined);
  }

  // Read once per build, before Eleventy writes anything: a history that cannot be read (a shallow clone),
  // or a date the guard refuses, stops the build before any file is copied or rendered.
  const current = () => (building ??= histories());
  eleventyConfig.on("eleventy.before", async () => {
    building = undefined;
    built = undefined;
    options.copiedPages.clear();
    await current();
  });
  eleventyConfig.on("eleventy.after", async ({ results }) => {
    if (!built) return;
    await built.copying;
    if (built.toKeep) {
      const { key, urls } = built.toKeep;
      const pages = results.flatMap(({ url, content }) => (url && urls.has(url) ? [[url, content] as const] : []));
      if (pages.length === urls.size) await options.cache.write(key, JSON.stringify(Object.fromEntries(pages)));
    }
    await options.cache.prune();
  });

  eleventyConfig.addGlobalData("historyPages", async () => (await current()).pages);
  eleventyConfig.addGlobalData("historyFeeds", async () => (await current()).feeds);
  eleventyConfig.addFilter("historyLinks", (inputPath: string) => built?.links.get(resolve(inputPath)));

  // Each page includes its template from _includes/history/: Nunjucks compiles an include once, while
  // Eleventy compiles a template's own text again for every page of a pagination.
  const template = (name: string) => `{% include "history/${name}" %}`;
  eleventyConfig.addTemplate("history/pages.njk", template("pages.njk"), {
    pagination: { data: "historyPages", size: 1, alias: "history", addAllPagesToCollections: false },
    layout: "base.njk",
    eleventyExcludeFromCollections: true,
    eleventyComputed: {
      // Functions, not template strings: Nunjucks would compile and render each for every page.
      permalink: (data: { history: HistoryPage }) => data.history.url,
      title: (data: { history: HistoryPage }) => data.history.title,
      documentTitle: (data: { history: HistoryPage }) => data.history.documentTitle,
      description: (data: { history: HistoryPage }) => data.history.description,
      lang: (data: { history: HistoryPage }) => data.history.lang,
      noindex: (data: { history: HistoryPage }) => data.history.noindex,
      breadcrumbs: (data: { history: HistoryPage }) => data.history.breadcrumbs,
      // An earlier version is a record, not a visit to count.
      matomoTracking: (data: { history: HistoryPage; matomoTracking: boolean }) => data.matomoTracking && !data.history.version,
    },
  });
  eleventyConfig.addTemplate("history/feed.njk", template("feed.njk"), {
    pagination: { data: "historyFeeds", size: 1, alias: "feed" },
    eleventyComputed: { permalink: (data: { feed: HistoryFeed }) => data.feed.url },
    layout: false,
    eleventyExcludeFromCollections: true,
  });
};
