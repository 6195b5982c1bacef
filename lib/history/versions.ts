// A page's versions: its texts in git (and an edit not yet committed), made
// into what a visitor reads, with the commits that change only markup,
// attributes, white space or line wrapping folded into the version before.
// Earlier versions are rendered here with their own words, through the same
// rules as today's page, but never refused: nobody can fix history.
import matter from "gray-matter";
import type MarkdownIt from "markdown-it";
import type StateCore from "markdown-it/lib/rules_core/state_core.mjs";
import type Token from "markdown-it/lib/token.mjs";
import { isoDate } from "../dates.ts";
import { createMarkdown } from "../markdown.ts";
import { rawHtmlProblem } from "../raw-html.ts";

/** A heading or a paragraph (list items and table cells included) as text. */
export interface Block {
  heading: boolean;
  text: string;
}

/** How a version from another repository reached visitors: written on one day, published by a release, which a visitor can check at `url`. */
export interface Publication {
  written: Date;
  release: string;
  released: Date;
  url: string;
}

/** One text of the page: a commit's, or the working copy's (no commit). */
export interface PageText {
  text: string;
  commit?: string;
  /** The commit's date, for a text whose front matter has no "updated"; a release's, for a text from another repository. */
  commitDate?: string;
  publication?: Publication;
}

export interface Version {
  /** Its name in URLs: the date, with -2, -3 for a second and third version of one day. */
  slug: string;
  /** YYYY-MM-DD: its "updated", or its commit's date where it has none. */
  date: string;
  /** The newest commit with these words; none for an edit not yet committed. */
  commit?: string;
  /** Where the words came from another repository's release. */
  publication?: Publication;
  title: string;
  blocks: Block[];
  /** The page's text as the version's page shows it. */
  html: string;
}

/** What the page's text gets where it once held the opt-out form. */
export interface VersionRendering {
  /** HTML in place of the form. */
  formNotice: string;
}

const formPlaceholder = "<div data-opt-out-form-was-here></div>";
// The form as this project writes it, and as the live site's Hugo pages did (a raw frame of Matomo's opt-out).
const optOutInclude = /\{%-?\s*include\s+["']matomo-opt-out\.njk["']\s*-?%\}/g;
const optOutFrame = /<iframe\b[^>]*module=CoreAdminHome[^>]*action=optOut[^>]*>\s*(<\/iframe>)?/gi;
/** Template code (Nunjucks, Hugo shortcodes) an old text may hold: it renders no words of its own. */
const templateTags = /\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}/gs;

/** The Markdown of an old text, its template code taken out and the form marked. */
const prepare = (body: string) =>
  body
    .replace(optOutInclude, `\n\n${formPlaceholder}\n\n`)
    .replace(optOutFrame, `\n\n${formPlaceholder}\n\n`)
    .replace(templateTags, "");

/** Raw HTML that today's rules refuse is left out; the form's place gets the notice. Headings skip no level. */
function historyRules(notice: string) {
  return (state: StateCore) => {
    let previous = 1;
    for (const token of state.tokens) {
      if (token.type === "html_block") {
        if (token.content.includes(formPlaceholder))
          [token.content, token.meta] = [`${notice}\n`, { formNotice: true }];
        else if (rawHtmlProblem(token.content)) token.content = "";
      }
      for (const child of token.children ?? [])
        if (child.type === "html_inline" && rawHtmlProblem(child.content)) child.content = "";
      if (token.type === "heading_open" || token.type === "heading_close") {
        const level =
          token.type === "heading_open" ? Math.max(2, Math.min(Number(token.tag.slice(1)), previous + 1)) : previous;
        token.tag = `h${level}`;
        previous = level;
      }
    }
  };
}

/** The words of each heading and paragraph, as a reader meets them. */
function blocksOf(tokens: Token[]): Block[] {
  const blocks: Block[] = [];
  tokens.forEach((token, i) => {
    let text: string;
    if (token.type === "inline") {
      text = (token.children ?? [])
        .map((child) =>
          child.type === "text" || child.type === "code_inline"
            ? child.content
            : child.type === "softbreak" || child.type === "hardbreak"
              ? " "
              : "",
        )
        .join("");
    } else if (token.type === "html_block" && !token.meta?.formNotice) text = token.content.replace(/<[^>]*>/g, " ");
    else return;
    text = text.replace(/\s+/g, " ").trim();
    if (text) blocks.push({ heading: tokens[i - 1]?.type === "heading_open", text });
  });
  return blocks;
}

/** The words of a version as one text: what decides whether two texts are one version. */
const wordsOf = (title: string, blocks: Block[]) => [title, ...blocks.map((block) => block.text)].join(" ");

interface ReadText {
  title: string;
  updated?: string;
  blocks: Block[];
  /** Renders the text; only the newest text of each version is rendered. */
  render(): string;
}

/** Reads the page's texts into versions, oldest first. */
export function pageVersions(texts: PageText[], { formNotice }: VersionRendering): Version[] {
  const markdown: MarkdownIt = createMarkdown();
  markdown.core.ruler.push("history", historyRules(formNotice));

  function read(text: string, lastTitle: string): ReadText {
    let data: Record<string, unknown> = {};
    let body = text;
    try {
      ({ data, content: body } = matter(text, { language: "yaml" }));
    } catch {
      // Front matter that was never valid YAML: the text after it still is the page.
      body = text.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, "");
    }
    const title = typeof data.title === "string" && data.title.trim() ? data.title.trim() : lastTitle;
    const updated =
      data.updated instanceof Date && !Number.isNaN(data.updated.getTime()) ? isoDate(data.updated) : undefined;
    const env = {};
    const tokens = markdown.parse(prepare(body), env);
    return {
      title,
      updated,
      blocks: blocksOf(tokens),
      render: () => markdown.renderer.render(tokens, markdown.options, env),
    };
  }

  const versions: (ReadText & Pick<Version, "date" | "commit" | "publication"> & { words: string })[] = [];
  let lastTitle = "";
  for (const { text, commit, commitDate, publication } of texts) {
    const page = read(text, lastTitle);
    lastTitle = page.title;
    const words = wordsOf(page.title, page.blocks);
    const date = page.updated ?? commitDate ?? "";
    const before = versions.at(-1);
    // The same words as the version before: this text only changed markup, so it joins that version, as its newest text.
    // Its "updated" dates the version (a later commit may correct it); without one, the version keeps the date its words first had.
    if (before?.words === words)
      versions[versions.length - 1] = {
        ...page,
        date: page.updated ?? before.date,
        commit: commit ?? before.commit,
        publication: publication ?? before.publication,
        words,
      };
    else versions.push({ ...page, date, commit, publication, words });
  }
  const perDay = new Map<string, number>();
  return versions.map(({ date, commit, publication, title, blocks, render }) => {
    const n = (perDay.get(date) ?? 0) + 1;
    perDay.set(date, n);
    return { slug: n === 1 ? date : `${date}-${n}`, date, commit, publication, title, blocks, html: render() };
  });
}
