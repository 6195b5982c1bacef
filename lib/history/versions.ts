// A page's versions from its texts, oldest first: a text whose words are the
// text before's (only markup, white space or line wrapping changed) is no new
// version. Each version is rendered with today's renderer, but nothing is
// refused: nobody can mend history. Raw HTML today's rules would refuse is
// left out, the opt-out form's place gets a notice, and no heading skips a level.
import matter from "gray-matter";
import type { StateCore, Token } from "markdown-it";
import { allowedElements } from "../checks/markdown-rules.ts";
import { isoDate } from "../layout.ts";
import { createMarkdown } from "../markdown.ts";

/** A heading or a paragraph (list items and table cells included) as text. */
export type Block = { heading: boolean; text: string };

/** How a version from another repository reached visitors, which a visitor can check at `url`. */
export type Publication = { written: Date; release: string; released: Date; url: string };

/** One text of the page: a commit's, an earlier version's, or the one being built, with the day it was committed or released. */
export type PageText = { text: string; date?: string; publication?: Publication };

/** `date`: YYYY-MM-DD, its newest text's "updated", or the day its words first had; `slug`: the date, -2 for a day's second. */
export type Version = {
  slug: string;
  date: string;
  publication?: Publication;
  title: string;
  blocks: Block[];
  /** Its HTML, rendered when asked: the page builds the earlier versions only, not the one in force. */
  render(): string;
};

const formPlaceholder = "<div data-opt-out-form-was-here></div>";
// The form as this project places it, and as the portal's Hugo pages did (a raw frame of Matomo's opt-out).
const optOutForm =
  /\{%-?\s*include\s+["']matomo-opt-out\.njk["']\s*-?%\}|<iframe\b[^>]*module=CoreAdminHome[^>]*action=optOut[^>]*>\s*(<\/iframe>)?/gi;
/** Template code (Nunjucks, Hugo shortcodes): it renders no words of its own. */
const templateCode = /\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}/gs;
/** Raw HTML as today's rules let it be: an element they refuse goes whole; event handlers and script URLs go. */
const cleaned = (html: string) =>
  [...html.matchAll(/<\/?([a-z][a-z0-9-]*)/gi)].some(([, tag]) => !allowedElements.includes(tag!.toLowerCase()))
    ? ""
    : html.replace(/\s([\w-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/g, (attribute, name: string) =>
        /^on/i.test(name) || /(java|vb)script:|data:/i.test(attribute) ? "" : attribute,
      );

/** `env.formNotice`: the HTML the form's place gets. */
function historyRules({ tokens, env }: StateCore) {
  let previous = 1;
  for (const token of tokens) {
    if (token.type === "html_block" && token.content.includes(formPlaceholder))
      [token.content, token.meta] = [`${env.formNotice}\n`, { formNotice: true }];
    else if (token.type === "html_block") token.content = cleaned(token.content);
    for (const child of token.children ?? []) if (child.type === "html_inline") child.content = cleaned(child.content);
    if (token.type === "heading_open") previous = Math.max(2, Math.min(Number(token.tag.slice(1)), previous + 1));
    if (token.type.startsWith("heading_")) token.tag = `h${previous}`;
  }
}

/** The words of each heading and paragraph, as a reader meets them. */
function blocksOf(tokens: Token[]): Block[] {
  const wordsOf = ({ type, content }: Token) =>
    ["text", "code_inline"].includes(type) ? content : /break$/.test(type) ? " " : "";
  return tokens.flatMap((token, i) => {
    const text =
      token.type === "inline"
        ? (token.children ?? []).map(wordsOf).join("")
        : token.type === "html_block" && !token.meta?.formNotice
          ? token.content.replace(/<[^>]*>/g, " ")
          : "";
    const words = text.replace(/\s+/g, " ").trim();
    return words ? [{ heading: tokens[i - 1]?.type === "heading_open", text: words }] : [];
  });
}

type Read = { title?: string; updated?: string; blocks: Block[]; render(): string };
const markdown = createMarkdown().use((md) => md.core.ruler.push("history", historyRules));
/** What each text reads as, kept for the next build: a preview's rebuild reads again only the text that changed. */
const reads = new Map<string, Read>();

function read(text: string, formNotice: string): Read {
  const key = `${formNotice}\0${text}`;
  if (reads.has(key)) return reads.get(key)!;
  let data: Record<string, unknown> = {};
  let body = text.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, "");
  try {
    ({ data, content: body } = matter(text, { language: "yaml" }));
  } catch {
    // Front matter that was never valid YAML: the text after it is still the page.
  }
  const env = { formNotice };
  const tokens = markdown.parse(body.replace(optOutForm, `\n\n${formPlaceholder}\n\n`).replace(templateCode, ""), env);
  let html: string | undefined;
  const found: Read = {
    title: typeof data.title === "string" && data.title.trim() ? data.title.trim() : undefined,
    updated: data.updated instanceof Date && !Number.isNaN(data.updated.getTime()) ? isoDate(data.updated) : undefined,
    blocks: blocksOf(tokens),
    render: () => (html ??= markdown.renderer.render(tokens, markdown.options, env)),
  };
  // Bounded: a long preview session makes a text at every save.
  if (reads.size > 500) reads.clear();
  reads.set(key, found);
  return found;
}

/** The page's versions, oldest first, from its texts, oldest first. */
export function pageVersions(texts: PageText[], formNotice: string): Version[] {
  const versions: (Omit<Version, "slug"> & { words: string })[] = [];
  for (const { text, date, publication } of texts) {
    const { title: own, updated, blocks, render } = read(text, formNotice);
    const before = versions.at(-1);
    const title = own ?? before?.title ?? "";
    const words = [title, ...blocks.map((block) => block.text)].join(" ");
    // The same words: only markup changed, and this text joins the version before as its newest. Its "updated"
    // dates the version (a later commit may correct it); without one, the version keeps the date its words first had.
    if (before?.words === words)
      Object.assign(before, { title, blocks, render, date: updated ?? before.date }, publication && { publication });
    else versions.push({ title, blocks, words, render, date: updated ?? date ?? "", publication });
  }
  const perDay = new Map<string, number>();
  return versions.map(({ words: _, ...version }) => {
    const n = (perDay.get(version.date) ?? 0) + 1;
    perDay.set(version.date, n);
    return { ...version, slug: n === 1 ? version.date : `${version.date}-${n}` };
  });
}
