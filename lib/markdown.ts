// One markdown-it for every page: raw HTML allowed (the policy has a raw <a>),
// and an id on every heading, made as GitHub makes it, which is also how
// markdownlint (MD051) decides whether a #fragment names a heading.
import markdownIt, { type MarkdownIt, type StateCore } from "markdown-it";

/** "Links to other sites" → "links-to-other-sites". */
export const headingId = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^\p{Letter}\p{Mark}\p{Number}\p{Connector_Punctuation}\- ]/gu, "")
    .replace(/ /g, "-");

function headingIds(state: StateCore): void {
  const taken = new Map<string, number>();
  state.tokens.forEach((token, index) => {
    if (token.type !== "heading_open" || token.attrGet("id")) return;
    const children = state.tokens[index + 1]?.children ?? [];
    const id = headingId(children.map((child) => (child.type === "image" ? "" : child.content)).join(""));
    if (!id) return;
    // A second heading of the same words gets -1, a third -2.
    const seen = taken.get(id) ?? 0;
    taken.set(id, seen + 1);
    token.attrSet("id", seen ? `${id}-${seen}` : id);
  });
}

export function createMarkdown(): MarkdownIt {
  const markdown = markdownIt({ html: true });
  markdown.core.ruler.push("heading_ids", headingIds);
  return markdown;
}
