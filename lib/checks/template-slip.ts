// A template slip: template code in a page that Nunjucks cannot read or run.
// Eleventy stops on it and hands the build script its error, with Nunjucks'
// message inside, whose line counts from the end of the front matter, or
// which has none: here it gets the file's own line and a fix.
import { normalize } from "node:path";
import type { Problem } from "./problems.ts";

const raw = 'to show "{{", "{%" or "{#" as text, wrap it in {% raw %}…{% endraw %} (pages go through Nunjucks).';

/**
 * Nunjucks' message in `error`'s chain of causes, on its file's line; none for any other error. Eleventy 3 keeps a
 * cause on `originalError`, where its own error printer looks, rather than on `cause`.
 */
export function templateSlip(
  error: unknown,
  textOf: (file: string) => string,
  includes: string[],
): Problem | undefined {
  for (let e = error; e instanceof Error; e = e.cause ?? (e as { originalError?: unknown }).originalError) {
    const [, path, given, message] =
      /^\((.+?)\)(?: \[Line (\d+), Column \d+\])?\n\s*(?:Error: )?(.+)/s.exec(e.message) ?? [];
    if (!path || !message) continue;
    const file = normalize(path);
    const lines = textOf(file).split(/\r?\n/);
    const bodyStart =
      lines[0]?.trimEnd() === "---" ? lines.slice(1).findIndex((line) => line.trimEnd() === "---") + 2 : 0;
    /** The last line at or before `end` that has `text`, or the last line. */
    const lineOf = (text: string, end = lines.length) =>
      lines.slice(0, end).findLastIndex((line) => line.replace(/\s+/g, "").includes(text)) + 1 || lines.length;
    const [, name = "", tag = ""] = /(?:filter|template) not found: (.+)|^parse(\w+):.*end of file/.exec(message) ?? [];
    const slip = (line: number, fix: string) => ({
      file,
      line,
      problem: `Nunjucks cannot read the template code: ${message.trim()}.`,
      fix,
    });
    // A "{{" never closed shows where the next word begins: the mistake is the "{{" before it.
    if (given) return slip(lineOf(/variable end/.test(message) ? "{{" : "", bodyStart + Number(given)), raw);
    if (/^filter/.test(message))
      return slip(lineOf(`|${name}`), "name a filter of Nunjucks or of this build (.eleventy.ts).");
    if (/^template/.test(message)) return slip(lineOf(name), `name a template of _includes/: ${includes.join(", ")}.`);
    if (tag) return slip(lineOf(`{%${tag.toLowerCase()}`), `close it with {% end${tag.toLowerCase()} %}; ${raw}`);
    return slip(lineOf(/comment/.test(message) ? "{#" : "\n"), raw);
  }
  return undefined;
}
