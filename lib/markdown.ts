// One markdown-it instance for every page: raw HTML allowed (the policy has a
// raw <a>), and an id on every heading so each section can be linked to.
// Eleventy's IdAttributePlugin would give the same ids, but from the finished
// HTML, parsed again and written out by posthtml, which costs every build
// more (BENCHMARK.md).
import MarkdownIt from "markdown-it";
import type StateCore from "markdown-it/lib/rules_core/state_core.mjs";
import type { Plugin } from "./eleventy.ts";

/** "Links to other sites" → "links-to-other-sites", the ids Hugo gave the live page. */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return slug || "section";
}

function headingIds(state: StateCore): void {
  const taken = new Set<string>();
  state.tokens.forEach((token, index) => {
    if (token.type !== "heading_open" || token.attrGet("id")) return;
    const text = (state.tokens[index + 1]?.children ?? [])
      .filter((child) => child.type === "text" || child.type === "code_inline")
      .map((child) => child.content)
      .join("");
    const base = slugify(text);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    token.attrSet("id", id);
  });
}

export function createMarkdown(): MarkdownIt {
  const markdown = new MarkdownIt({ html: true });
  markdown.core.ruler.push("heading_ids", headingIds);
  return markdown;
}

export const markdown: Plugin = (eleventyConfig) => {
  const library = createMarkdown();
  eleventyConfig.setLibrary("md", library);
  // Short texts from the site data, such as the footer's paragraph with its
  // links: the same on every page, so each is rendered once.
  const inline = new Map<string, string>();
  eleventyConfig.addFilter(
    "markdownInline",
    (text: string) => inline.get(text) ?? inline.set(text, library.renderInline(text)).get(text),
  );
};
