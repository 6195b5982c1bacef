// What raw HTML page content may not hold. The Markdown allows raw HTML (the
// policy needs a raw <a>), but scripts, styles, frames, plugins and forms
// belong to the layout, where the security policy and tests cover them.
import MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import { SourceError } from "./source-error.ts";

const fixes: Record<string, string> = {
  script: "remove it: the page runs no scripts of its own, and the tracker comes from the layout.",
  style: "remove it and style the page in src/assets/style.css.",
  iframe:
    'place the Matomo opt-out with {% include "matomo-opt-out.njk" %}; link to other pages instead of framing them.',
  object: "link to the file instead of embedding it.",
  embed: "link to the file instead of embedding it.",
  form: "link to a page that has the form instead.",
};

const forbiddenElement = new RegExp(`<(${Object.keys(fixes).join("|")})\\b`, "i");
const eventHandler = /<[a-z][^>]*?\s(on[a-z]+)\s*=/i;
const scriptUrl =
  /\b(?:href|src|srcset|action|formaction|poster|data|xlink:href)\s*=\s*["']?\s*(javascript|data|vbscript):/i;

/** A numeric character reference's character; nothing for one no character has. */
const character = (code: number) => (code <= 0x10ffff ? String.fromCodePoint(code) : "");

/** Undoes the character references that could hide "javascript:" from the checks. */
const decodeReferences = (html: string) =>
  html
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => character(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, decimal: string) => character(Number(decimal)))
    .replace(/&colon;/gi, ":")
    .replace(/&(tab|newline);/gi, "");

/** The first problem in a piece of raw HTML or a link target, with its fix. */
export function rawHtmlProblem(html: string): { problem: string; fix: string } | undefined {
  const decoded = decodeReferences(html);
  const element = forbiddenElement.exec(decoded)?.[1]?.toLowerCase();
  if (element) return { problem: `raw HTML <${element}> is not allowed in page content.`, fix: fixes[element]! };
  const handler = eventHandler.exec(decoded)?.[1];
  if (handler)
    return {
      problem: `the event handler attribute ${handler}= is not allowed.`,
      fix: "remove it: the page runs no scripts of its own.",
    };
  const scheme = scriptUrl.exec(decoded.replace(/[\t\n\r]/g, ""))?.[1]?.toLowerCase();
  if (scheme) return { problem: `a ${scheme}: URL is not allowed.`, fix: "link to an https: page instead." };
  return undefined;
}

// Parses like the real renderer, but keeps every link so their targets can be checked.
const parser = new MarkdownIt({ html: true });
parser.validateLink = () => true;

interface Piece {
  /** What is checked: raw HTML, or a link written as an attribute. */
  html: string;
  /** What to look for in the block's text to find the line. */
  where: string;
}

function piecesOf(block: Token): Piece[] {
  if (block.type === "html_block") return [{ html: block.content, where: block.content }];
  return (block.children ?? []).flatMap((child): Piece[] => {
    if (child.type === "html_inline") return [{ html: child.content, where: child.content }];
    const url =
      child.type === "link_open" ? child.attrGet("href") : child.type === "image" ? child.attrGet("src") : null;
    return url === null ? [] : [{ html: `href="${url}"`, where: url }];
  });
}

/**
 * A SourceError for each forbidden piece of raw HTML or link in `markdown`,
 * the body of `file`, which starts on line `firstLine` of the file.
 */
export function rawHtmlProblems(markdown: string, file: string, firstLine = 1): SourceError[] {
  // Most pages hold nothing suspect at all: parse only those that might.
  if (!rawHtmlProblem(markdown) && !/\b(javascript|data|vbscript):/i.test(decodeReferences(markdown))) return [];
  const problems: SourceError[] = [];
  const lines = markdown.split("\n");
  for (const block of parser.parse(markdown, {})) {
    const [start, end] = block.map ?? [0, lines.length];
    for (const piece of piecesOf(block)) {
      const found = rawHtmlProblem(piece.html);
      if (!found) continue;
      // The first line of the block that shows the problem, or holds the piece.
      const blockLines = lines.slice(start, end);
      let offset = blockLines.findIndex((line) => rawHtmlProblem(line));
      if (offset === -1)
        offset = Math.max(
          0,
          blockLines.findIndex((line) => line.includes(piece.where.split("\n")[0]!)),
        );
      problems.push(new SourceError(file, firstLine + start + offset, found.problem, found.fix));
    }
  }
  return problems;
}
