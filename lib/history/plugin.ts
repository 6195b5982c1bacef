// Every page with "history: true" in its front matter gets, from the versions
// it had before this repository (earlier.ts) and its git history, read once
// per build:
// - /<page>/history/: its versions, newest first, each with what changed;
// - /<page>/history/<date>/: each earlier version whole, marked as no longer
//   in force, without the opt-out form or the tracker, kept out of search;
// - /<page>/history/feed.atom: an Atom feed with an entry per version.
// The production build fails when the text changed but "updated" did not;
// the dev server warns and goes on. Without git the page is built without
// its history; in a shallow clone the build stops (see git.ts). Eleventy
// renders every page of the history, on every build.
import { dirname, join, relative, resolve, sep } from "node:path";
import type { TextCache } from "../build-cache.ts";
import type { BuildProblems } from "../build-problems.ts";
import { readableDate } from "../dates.ts";
import type { Plugin } from "../eleventy.ts";
import type { CheckedPage, SourcePages } from "../page-checks.ts";
import { SourceError } from "../source-error.ts";
import { changesBetween, changesHtml } from "./changes.ts";
import { earlierVersions, type EarlierVersion } from "./earlier.ts";
import { fileChanges, readBlobs, type FileChange } from "./git.ts";
import { pageVersions, type Publication, type Version } from "./versions.ts";

export interface PageHistoryOptions {
  /** The build's Markdown pages: their front matter says which have history. */
  sources: SourcePages;
  /** Where the site is served, for the feed's absolute links and ids. */
  origin: string;
  /** The feed's author: who publishes the page. */
  publisher: string;
  /** The page with the opt-out form, where an earlier version's form now is. */
  optOutPage: string;
  /** Whether a changed text with an unchanged "updated" stops the build (production) or only warns (dev server). */
  strict: boolean;
  /** Where a refused date goes, with the build's other mistakes. */
  problems: BuildProblems;
  /** The earlier versions' texts, kept by their blob ids (which name their contents) between builds. */
  texts: TextCache;
  /** Where the versions from before the page's git history are: a folder per page, named as the page is in the input folder (earlier.ts). */
  earlierVersions: string;
  /** Where the one-line notes go: a page built without history, the dev server's warning. */
  log?: (line: string) => void;
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
  publication?: Publication;
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
  /** On the list, where the oldest version came from another repository: that file's log there, with the drafts no release published. */
  drafts?: string;
  /** On an earlier version's page: its date, the next version's, and its text. */
  version?: { date: Date; until: Date; html: string; publication?: Publication };
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
  feeds: HistoryFeed[];
  /** By the absolute path of the page's Markdown. */
  links: Map<string, HistoryLinks>;
}

/** The URL Eleventy gives a Markdown page: its permalink, or its path as a folder (index.md is its folder's). */
export function pageUrl(input: string, file: string, permalink?: string | false): string {
  if (typeof permalink === "string") return permalink.replace(/(index)?\.html$/, "").replace(/\/?$/, "/");
  const path = relative(input, file)
    .split(sep)
    .join("/")
    .replace(/\.md$/, "")
    .replace(/(^|\/)index$/, "");
  return path ? `/${path}/` : "/";
}

const utcDate = (date: string) => new Date(`${date}T00:00:00Z`);
const atomDate = (date: string) => `${date}T00:00:00Z`;
const host = (origin: string) => new URL(origin).hostname;

/** The texts of `blobs`, kept in `cache` by their ids, the others read from git (and kept). */
async function blobTexts(folder: string, blobs: string[], cache: TextCache): Promise<string[]> {
  const kept = await Promise.all(blobs.map((blob) => cache.read(blob)));
  const missing = blobs.filter((_, i) => kept[i] === undefined);
  const read = new Map((await readBlobs(folder, missing)).map((text, i) => [missing[i]!, text]));
  await Promise.all([...read].map(([blob, text]) => cache.write(blob, text)));
  return blobs.map((blob, i) => kept[i] ?? read.get(blob)!);
}

/** The page's versions, oldest first, each with what changed: those from before its git history (in force from their releases), its commits, and the text being built. */
async function readVersions(
  { file, text: source }: CheckedPage,
  earlier: EarlierVersion[],
  changes: FileChange[],
  formNotice: string,
  cache: TextCache,
): Promise<VersionRecord[]> {
  const texts = await blobTexts(
    dirname(file),
    changes.map((change) => change.blob),
    cache,
  );
  const versions = pageVersions(
    [
      ...earlier.map(({ text, commit, released, written, release, repository }) => ({
        text,
        commit,
        commitDate: released,
        publication: {
          written: utcDate(written),
          release,
          released: utcDate(released),
          url: `https://github.com/${repository}/releases/tag/${encodeURIComponent(release)}`,
        },
      })),
      ...changes.map(({ commit, date }, i) => ({ text: texts[i]!, commit, commitDate: date })),
      { text: source },
    ],
    { formNotice },
  );
  return versions.map(({ blocks, ...version }, i) => ({
    ...version,
    changes: i === 0 ? undefined : changesHtml(changesBetween(versions[i - 1]!.blocks, blocks)),
  }));
}

/** The history of one page, from the commits that changed it: checks the newest version's date, and lays out the pages and the feed. */
async function pageHistory(
  page: CheckedPage,
  earlier: EarlierVersion[],
  changes: FileChange[],
  url: string,
  options: PageHistoryOptions,
): Promise<{ pages: HistoryPage[]; feed: HistoryFeed; links: HistoryLinks }> {
  const { file, text: source, data } = page;
  const formNotice = `<p class="form-was-here">Here this version had Matomo's opt-out form: <a href="${options.optOutPage}">use it on the page in force</a>.</p>`;
  const versions = await readVersions(page, earlier, changes, formNotice, options.texts);
  // A version from before the repository must be in force before the versions that follow it.
  for (const [i, version] of versions.entries()) {
    const imported = earlier.find((before) => before.commit === versions[i - 1]?.commit);
    if (imported && version.date < imported.released) {
      options.problems.add(
        new SourceError(
          imported.file,
          imported.lines.released,
          `this version was released on ${imported.released}, after the version that follows it (${version.date}).`,
          "correct the release: the first of the portal's releases that published these words.",
        ),
      );
    }
  }
  options.problems.attempt(() => checkVersionDate(versions, source, file, options));

  const links: HistoryLinks = {
    url: `${url}history/`,
    feedUrl: `${url}history/feed.atom`,
    feedTitle: `${data.title}: changes`,
  };
  const newest = versions.at(-1)!;
  const versionUrl = (version: VersionRecord) => (version === newest ? url : `${links.url}${version.slug}/`);
  const entries: VersionEntry[] = versions
    .map((version) => ({
      slug: version.slug,
      day: version.date,
      date: utcDate(version.date),
      url: versionUrl(version),
      current: version === newest,
      changes: version.changes,
      publication: version.publication,
    }))
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
      drafts:
        earlier[0] && `https://github.com/${earlier[0].repository}/commits/${earlier[0].commit}/${earlier[0].path}`,
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
      version: {
        date: utcDate(version.date),
        until: utcDate(versions[i + 1]!.date),
        html: version.html,
        publication: version.publication,
      },
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
export function checkVersionDate(
  versions: Pick<Version, "date">[],
  source: string,
  file: string,
  { strict, log = console.warn }: Pick<PageHistoryOptions, "strict" | "log">,
): void {
  const line = source.split(/\r?\n/).findIndex((text) => text.startsWith("updated:")) + 1;
  const newest = versions.at(-1)!;
  const before = versions.at(-2);
  let problem: SourceError | undefined;
  if (line === 0) {
    problem = new SourceError(
      file,
      1,
      'this page publishes its history ("history: true"), which dates each version by its "updated", but the page has none.',
      'add "updated: YYYY-MM-DD", the day this text reaches visitors (the day of the release that deploys it), between the two "---" lines.',
    );
  } else if (before && newest.date <= before.date) {
    const when = readableDate(utcDate(before.date), "en");
    problem = new SourceError(
      file,
      line,
      newest.date === before.date
        ? `the text changed since the version of ${when}, but "updated" did not.`
        : `the text changed since the version of ${when}, but "updated" went back to ${newest.date}.`,
      `set "updated:" to the day this text reaches visitors, the day of the release that deploys it (later than ${before.date}); visitors and the feed date the change by it.`,
    );
  }
  if (!problem) return;
  if (strict) throw problem;
  log(`Warning: ${problem.message}`);
}

export const pageHistories: Plugin<PageHistoryOptions> = (eleventyConfig, options) => {
  const directories = eleventyConfig.directories;
  let building: Promise<Histories> | undefined;
  let finished: Histories | undefined;

  async function histories(): Promise<Histories> {
    const found: Histories = { pages: [], feeds: [], links: new Map() };
    const { pages: sourcePages } = await options.sources.read();
    const withHistory = [...sourcePages.values()]
      .filter((page) => page.data.history)
      .sort((a, b) => a.file.localeCompare(b.file));
    if (withHistory.length === 0) return (finished = found);
    // The first page's log tells whether git can answer at all; only then are the others read.
    const first = await fileChanges(withHistory[0]!.file);
    const logs = first.known
      ? [first, ...(await Promise.all(withHistory.slice(1).map((page) => fileChanges(page.file))))]
      : [first];
    const changesOf: FileChange[][] = [];
    for (const log of logs) {
      if (!log.known) {
        const named =
          withHistory.length === 1 ? withHistory[0]!.file : `${withHistory.length} pages with history: true`;
        (options.log ?? console.warn)(`Built ${named} without its earlier versions, since ${log.why}.`);
        return (finished = found);
      }
      changesOf.push(log.changes);
    }
    for (const [i, page] of withHistory.entries()) {
      const changes = changesOf[i]!;
      const earlier = await earlierVersions(
        join(options.earlierVersions, relative(directories.input, page.file).replace(/\.md$/, "")),
      );
      for (const problem of earlier.problems) options.problems.add(problem);
      const made = await pageHistory(
        page,
        earlier.versions,
        changes,
        pageUrl(directories.input, page.file, page.data.permalink),
        options,
      );
      found.pages.push(...made.pages);
      found.feeds.push(made.feed);
      found.links.set(resolve(page.file), made.links);
    }
    return (finished = found);
  }

  // Read once per build, before Eleventy writes anything: a history that cannot be read (a shallow clone),
  // or a date the guard refuses, stops the build before any file is copied or rendered.
  const current = () => (building ??= histories());
  eleventyConfig.on("eleventy.before", async () => {
    building = undefined;
    finished = undefined;
    await current();
  });
  eleventyConfig.on("eleventy.after", () => options.texts.prune());

  eleventyConfig.addGlobalData("historyPages", async () => (await current()).pages);
  eleventyConfig.addGlobalData("historyFeeds", async () => (await current()).feeds);
  eleventyConfig.addFilter("historyLinks", (inputPath: string) => finished?.links.get(resolve(inputPath)));

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
      matomoTracking: (data: { history: HistoryPage; matomoTracking: boolean }) =>
        data.matomoTracking && !data.history.version,
    },
  });
  eleventyConfig.addTemplate("history/feed.njk", template("feed.njk"), {
    pagination: { data: "historyFeeds", size: 1, alias: "feed" },
    eleventyComputed: { permalink: (data: { feed: HistoryFeed }) => data.feed.url },
    layout: false,
    eleventyExcludeFromCollections: true,
  });
};
