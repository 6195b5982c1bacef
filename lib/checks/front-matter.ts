// A page's front matter: parsed as Eleventy parses it (gray-matter, js-yaml),
// and held to the keys and types a page may have, each mistake on its line.
// Where YAML's own message would mislead (a key written twice, a value with
// ": " in it, a closing "---" never written), the message says what happened.
import matter from "gray-matter";
import type { Problem } from "./problems.ts";

/** `updated`: the day these words reach visitors; `noindex`: kept from search engines; `history`: lib/history/. */
export type FrontMatter = { title: string; description?: string; updated?: Date; lang?: string } & {
  permalink?: string | false;
  noindex?: boolean;
  history?: boolean;
};

type Test = (value: unknown, written: string) => boolean;
const text: Test = (value) => typeof value === "string" && value.trim() !== "";
const boolean: Test = (value) => typeof value === "boolean";
// YAML turns 2025-02-30 into 2 March without a word: the date must be the one written.
const date: Test = (value, written) => value instanceof Date && value.toISOString().slice(0, 10) === written;
const language: Test = (value) => /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(String(value));
const path: Test = (value) => value === false || text(value, "");

/** Each key a page may have: its test, what it must be, and an example. */
const keys: Record<keyof FrontMatter, [Test, string, string]> = {
  title: [text, "a non-empty text", "title: Privacy policy"],
  description: [text, "a non-empty text", "description: The privacy policy of the portal."],
  updated: [date, "a real date written YYYY-MM-DD", "updated: 2025-03-27"],
  lang: [language, "a language tag such as en or sv", "lang: en"],
  permalink: [path, "an output path such as /privacy/, or false", "permalink: /privacy/"],
  noindex: [boolean, "true or false", "noindex: true"],
  history: [boolean, "true or false", "history: true"],
};

/** The key a front matter line sets, quoted or not, and the value as written. */
const keyOn = (line: string) => /^["']?([^\s"':#-][^\s"':]*)["']?\s*:/.exec(line)?.[1];
const valueOn = (line: string) => line.slice(line.indexOf(":") + 1).trim();

/** The page's front matter, and what is wrong with it; no data where it cannot be read at all. */
export function readFrontMatter(source: string, file: string): { data?: Partial<FrontMatter>; problems: Problem[] } {
  const lines = source.split(/\r?\n/);
  // The front matter's lines: the text after it sets no key.
  const end = lines.findIndex((line, i) => i > 0 && line.trimEnd() === "---");
  const lineOf = (key: string) => lines.slice(0, end).findIndex((line) => keyOn(line) === key) + 1 || 1;
  const at = (line: number, problem: string, fix: string): Problem => ({ file, line, problem, fix });
  if (lines[0]?.trimEnd() === "---" && end === -1) {
    const problem = 'the front matter that starts on line 1 is never closed: the closing "---" line is missing.';
    return {
      problems: [at(1, problem, 'add a line "---" after the last "key: value" line, before the page\'s text.')],
    };
  }
  let data: Record<string, unknown>;
  try {
    // Options turn off gray-matter's cache, which would keep every text.
    data = matter(source, { language: "yaml" }).data;
  } catch (error) {
    const { mark, reason } = error as { mark?: { line: number }; reason?: string };
    // gray-matter hands YAML the text after the opening "---", from that line's end.
    const line = mark ? mark.line + 1 : 1;
    const [key, value] = [keyOn(lines[line - 1] ?? ""), valueOn(lines[line - 1] ?? "")];
    if (key && reason === "duplicated mapping key") {
      const problem = `"${key}" is in the front matter twice, on lines ${lineOf(key)} and ${line}; a page has one of each key.`;
      return {
        problems: [at(line, problem, `keep the "${key}:" line with the value you mean, and remove the other.`)],
      };
    }
    if (key && /^[^"'].*: /.test(value)) {
      const problem = `the value of "${key}" holds ": ", which YAML takes for the start of another key.`;
      return {
        problems: [at(line, problem, `put the value in quotes: ${key}: "${value.replace(/["\\]/g, "\\$&")}".`)],
      };
    }
    const fix = 'write one "key: value" per line; quote a value that holds ": " or starts with [, {, * or &.';
    return { problems: [at(line, `the front matter is not valid YAML: ${reason ?? error}.`, fix)] };
  }
  const problems = Object.keys(data)
    .filter((key) => !(key in keys))
    .map((key) =>
      at(lineOf(key), `unknown front matter key "${key}".`, `a page's keys are ${Object.keys(keys).join(", ")}.`),
    );
  if (data.title === undefined || data.title === null)
    problems.push(at(1, 'the front matter has no "title".', 'add a line "title: …" between the two "---" lines.'));
  for (const [key, [test, expected, example]] of Object.entries(keys)) {
    const written = valueOn(lines[lineOf(key) - 1] ?? "");
    if (data[key] !== undefined && data[key] !== null && !test(data[key], written))
      problems.push(
        at(lineOf(key), `"${key}" must be ${expected}, but it is ${written || "empty"}.`, `write "${example}".`),
      );
  }
  return { data: data as Partial<FrontMatter>, problems };
}
