// What the tests expect of the policy page, read from its source as it is
// today: maintainers edit src/privacy.md, so no test may pin its words.
import { readFileSync } from "node:fs";
import { parseHTML } from "linkedom";
import { parseFrontMatter, type FrontMatter } from "../../lib/front-matter.ts";
import { createMarkdown } from "../../lib/markdown.ts";
import { loadSite } from "../../lib/site.ts";
import { normalText } from "./build.ts";

export const policyFile = "src/privacy.md";
/** The page that carries the opt-out form is the policy (the site data says which). */
export const policyUrl = loadSite().matomo.optOutPage;

export interface PolicySource {
  data: FrontMatter;
  /** The Markdown rendered on its own (Nunjucks tags left out), as a document to query. */
  content: Document;
  /** Each section heading's id and text, in order. */
  headings: [string, string][];
}

export function readPolicy(file = policyFile, source = readFileSync(file, "utf8")): PolicySource {
  const { data, body } = parseFrontMatter(source, file);
  const html = createMarkdown().render(body.replace(/\{%[\s\S]*?%\}/g, ""));
  const content = parseHTML(`<!DOCTYPE html><html><body>${html}</body></html>`).document;
  const headings = [...content.querySelectorAll("h2, h3, h4, h5, h6")].map((h): [string, string] => [
    h.id,
    normalText(h.textContent),
  ]);
  return { data, content, headings };
}
