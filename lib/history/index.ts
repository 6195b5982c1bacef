// Every page with "history: true" gets its versions, as global data the
// templates of src/history/ paginate over: the list of versions with what
// each changed, each earlier version whole, and an Atom feed. They come from
// earlier-versions/<page>/ (the versions in force before this repository,
// dated by the release that published each), the page's git history, and
// the text being built. The date guard: words changed and "updated" not stops
// the production build, and the preview warns.
import matter from "gray-matter";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { SourcePage } from "../checks/pages.ts";
import type { Problem } from "../checks/problems.ts";
import { isoDate, readableDate } from "../layout.ts";
import type { Site } from "../site.ts";
import { changesHtml } from "./changes.ts";
import { committedTexts } from "./git.ts";
import { pageVersions, type PageText, type Version } from "./versions.ts";

const day = (date: string) => new Date(`${date}T00:00:00Z`);
const atom = (date: Date) => `${isoDate(date)}T00:00:00Z`;
const keys = ["written", "repository", "commit", "path", "release", "released"];

/** The texts of earlier-versions/<page>/, oldest first, and where the oldest came from, with the drafts before it. */
async function earlierTexts(folder: string): Promise<{ texts: PageText[]; drafts?: string; problems: Problem[] }> {
  const names = (await readdir(folder).catch(() => [])).filter((name) => name.endsWith(".md"));
  const read = await Promise.all(
    names.map(async (name) => ({
      file: join(folder, name),
      ...matter(await readFile(join(folder, name), "utf8"), { language: "yaml" }),
    })),
  );
  const complete = ({ data }: { data: Record<string, unknown> }) =>
    keys.every((key) => data[key] !== undefined) && data.released instanceof Date;
  const problem = `the front matter needs ${keys.join(", ")}, with dates written YYYY-MM-DD.`;
  const problems = read
    .filter((text) => !complete(text))
    .map(({ file }) => ({ file, line: 1, problem, fix: "write it as docs/history.md shows." }));
  const texts = read
    .filter(complete)
    .map(({ data: { written, repository, commit, path, release, released }, content }) => ({
      text: content,
      date: isoDate(released),
      publication: { written, release, released, url: `https://github.com/${repository}/releases/tag/${release}` },
      drafts: `https://github.com/${repository}/commits/${commit}/${path}`,
    }))
    .sort((a, b) => a.date.localeCompare(b.date));
  return { texts, drafts: texts[0]?.drafts, problems };
}

/** One page's history: the list of its versions, newest first, its earlier versions whole, and its feed. */
function historyOf({ url: pageUrl, data: { title = "", lang = "en" } }: SourcePage, versions: Version[], site: Site) {
  const [url, page, of] = [`${pageUrl}history/`, { url: pageUrl, title }, (date: Date) => readableDate(date, lang)];
  const entries = versions.map((version, i) => ({
    slug: version.slug,
    date: day(version.date),
    url: i === versions.length - 1 ? pageUrl : `${url}${version.slug}/`,
    current: i === versions.length - 1,
    changes: i === 0 ? undefined : changesHtml(versions[i - 1]!.blocks, version.blocks),
    publication: version.publication,
  }));
  const earlier = versions.slice(0, -1).map(({ title: words, render }, i) => ({
    ...{ ...entries[i]!, lang, page, historyUrl: url, until: entries[i + 1]!.date, html: render() },
    title: `${words}, version of ${of(entries[i]!.date)}`,
    documentTitle: `${title} of ${of(entries[i]!.date)} | ${site.name}`,
    description: `The ${title.toLowerCase()} as it was from ${of(entries[i]!.date)}; no longer in force.`,
    breadcrumbs: [
      { href: pageUrl, text: title },
      { href: url, text: "Earlier versions" },
    ],
  }));
  const feedEntries = entries.toReversed().map((entry) => ({
    // A tag URI (RFC 4151): the same for this version in every build.
    id: `tag:${new URL(site.origin).hostname},${isoDate(entry.date)}:${url}${entry.slug}`,
    title: `${title}, version of ${of(entry.date)}`,
    link: `${site.origin}${entry.url}`,
    updated: atom(entry.date),
    content: entry.changes ?? `<p>The first version of the ${title.toLowerCase()}.</p>`,
  }));
  const author = { name: site.name, uri: `${site.origin}/` };
  return {
    ...{ url, feedUrl: `${url}feed.atom`, feedTitle: `${title}: changes`, lang, page, earlier },
    title: `${title}: earlier versions and what changed`,
    documentTitle: `${title}: earlier versions | ${site.name}`,
    description: `Every version of the ${title.toLowerCase()}, newest first, with the words each version added and removed.`,
    breadcrumbs: [{ href: pageUrl, text: title }],
    versions: entries.toReversed(),
    feed: { id: `${site.origin}${url}feed.atom`, updated: atom(entries.at(-1)!.date), author, entries: feedEntries },
  };
}

/** What the templates paginate over, and what the layout links to from a page with history. */
export interface Histories {
  pages: (ReturnType<typeof historyOf> & { drafts?: string | undefined })[];
  versions: ReturnType<typeof historyOf>["earlier"];
  links: Record<string, { url: string; feedUrl: string; feedTitle: string }>;
}

/** Newer words need a later "updated": visitors and the feed date the change by it. */
export function dateGuard({ file, text }: SourcePage, versions: Version[]): Problem | undefined {
  const line = text.split(/\r?\n/).findIndex((line) => line.startsWith("updated:")) + 1;
  const [before, newest] = versions.slice(-2);
  if (line === 0) {
    const problem = 'the page has no "updated", by which its history ("history: true") dates each version.';
    return { file, line: 1, problem, fix: 'add "updated: YYYY-MM-DD", the day of the release that deploys this text.' };
  }
  if (!before || !newest || newest.date > before.date) return undefined;
  const moved = newest.date === before.date ? "did not" : `went back to ${newest.date}`;
  const problem = `the text changed since the version of ${readableDate(day(before.date), "en")}, but "updated" ${moved}.`;
  const fix = `set "updated:" to the day this text reaches visitors, the day of the release that deploys it (later than ${before.date}); visitors and the feed date the change by it.`;
  return { file, line, problem, fix };
}

/** The histories of `pages`; `strict`: a date the guard refuses is a problem (the production build), not a warning. */
export async function readHistories(pages: SourcePage[], options: { site: Site; input: string; strict: boolean }) {
  const { site, input, strict } = options;
  const histories: Histories = { pages: [], versions: [], links: {} };
  const problems: Problem[] = [];
  const formNotice = `<p class="form-was-here">Here this version had Matomo's opt-out form: <a href="${site.matomo.optOutPage}">use it on the page in force</a>.</p>`;
  for (const page of pages.filter((page) => page.data.history)) {
    const git = await committedTexts(page.file);
    if ("problem" in git) problems.push(git);
    if ("unknown" in git) console.warn(`Built ${page.file} without its earlier versions, since ${git.unknown}.`);
    if (!("texts" in git)) continue;
    // Beside the input folder, as _includes/ is.
    const folder = join(input, "..", "earlier-versions", relative(input, page.file).replace(/\.md$/, ""));
    const earlier = await earlierTexts(folder);
    problems.push(...earlier.problems);
    const versions = pageVersions([...earlier.texts, ...git.texts, { text: page.text }], formNotice);
    const mistake = dateGuard(page, versions);
    if (mistake && strict) problems.push(mistake);
    else if (mistake) console.warn(`Warning: ${mistake.file}:${mistake.line}: ${mistake.problem}`);
    const history = { ...historyOf(page, versions, site), drafts: earlier.drafts };
    histories.pages.push(history);
    histories.versions.push(...history.earlier);
    histories.links[page.url] = { url: history.url, feedUrl: history.feedUrl, feedTitle: history.feedTitle };
  }
  return { histories, problems };
}
