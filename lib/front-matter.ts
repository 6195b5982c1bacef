// The front-matter schema: every page's YAML is parsed with gray-matter and
// checked here before Eleventy renders anything, so a typo stops the build
// with the file, the line and the fix instead of rendering a broken page.
import matter from "gray-matter";
import { SourceError } from "./source-error.ts";

export interface FrontMatter {
  title: string;
  /** The meta description; the site's description when left out. */
  description?: string;
  /** When the text last changed, shown as "Last updated". */
  updated?: Date;
  lang: string;
  layout: string;
  permalink?: string | false;
  /** Keeps search engines away (the 404 page): no canonical URL, robots noindex. */
  noindex?: boolean;
  /** Publishes the page's earlier versions from git, what changed in each, and a feed (lib/history/). */
  history?: boolean;
}

/** What a page gets when its front matter leaves a key out. */
export const frontMatterDefaults = { lang: "en", layout: "base.njk" } as const satisfies Partial<FrontMatter>;

interface Field {
  required?: true;
  expected: string;
  example: string;
  /** `text` is the value as written in the file, for checks YAML's parsing hides. */
  accepts(value: unknown, text: string): boolean;
}

const isText = (value: unknown) => typeof value === "string" && value.trim() !== "";

const fields: Record<keyof FrontMatter, Field> = {
  title: { required: true, expected: "a non-empty text", example: "title: Privacy policy", accepts: isText },
  description: {
    expected: "a non-empty text",
    example: "description: The privacy policy applicable to the Swedish Reference Genome Portal.",
    accepts: isText,
  },
  updated: {
    expected: "a real date written YYYY-MM-DD",
    example: "updated: 2024-06-12",
    // YAML turns 2025-02-30 into 2 March without complaint, so check the text too.
    accepts: (value, text) => value instanceof Date && value.toISOString().slice(0, 10) === text,
  },
  lang: {
    expected: "a language tag such as en or sv",
    example: "lang: en",
    accepts: (value) => typeof value === "string" && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(value),
  },
  layout: { expected: "the file name of a layout in _includes/", example: "layout: base.njk", accepts: isText },
  permalink: {
    expected: "an output path such as /privacy/, or false",
    example: "permalink: /privacy/",
    accepts: (value) => value === false || isText(value),
  },
  noindex: { expected: "true or false", example: "noindex: true", accepts: (value) => typeof value === "boolean" },
  history: { expected: "true or false", example: "history: true", accepts: (value) => typeof value === "boolean" },
};

const allowedKeys = Object.keys(fields) as (keyof FrontMatter)[];

export interface ParsedPage {
  data: FrontMatter;
  /** The Markdown after the front matter, and the file line it starts on. */
  body: string;
  bodyLine: number;
}

/** Parses and checks a page's front matter; throws a SourceError naming `file`. */
export function parseFrontMatter(source: string, file: string): ParsedPage {
  // gray-matter would read the whole page as YAML, and blame a line far below.
  if (/^---[ \t]*\r?\n/.test(source) && !/\n---[ \t]*(\r?\n|$)/.test(source.slice(3))) {
    throw new SourceError(
      file,
      1,
      'the front matter that starts on line 1 is never closed: the closing "---" line is missing.',
      'add a line with only "---" after the last "key: value" line, before the text of the page.',
    );
  }
  const lines = source.split(/\r?\n/);
  /** The key a top-level line of the front matter sets, quoted or not. */
  const keyOn = (line: string) => {
    const match = /^(?:"([^"]+)"|'([^']+)'|([^"':\s]+))\s*:/.exec(line);
    return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
  };
  /** The value as a line writes it after its key, for the checks YAML's parsing hides. */
  const valueOn = (line: string) => line.slice(line.indexOf(":") + 1).trim();
  /** The line that sets `key`; the first line where none does. */
  const lineOf = (key: string) => lines.findIndex((line) => keyOn(line) === key) + 1 || 1;
  let data: Record<string, unknown>;
  let body: string;
  try {
    // Passing options turns off gray-matter's cache, which would keep every page in memory.
    ({ data, content: body } = matter(source, { language: "yaml" }));
  } catch (error) {
    const mark = (error as { mark?: { line: number }; reason?: string }).mark;
    const reason = (error as { reason?: string }).reason ?? String(error);
    // gray-matter hands YAML the text after the opening "---", starting with that line's end.
    const line = mark && mark.line + 1;
    const text = line ? (lines[line - 1] ?? "") : "";
    const key = keyOn(text);
    // A key written twice, as when a new "updated:" line goes in beside the old one.
    if (key && reason === "duplicated mapping key") {
      throw new SourceError(
        file,
        line,
        `"${key}" is in the front matter twice, on lines ${lineOf(key)} and ${line}; a page has one of each key.`,
        `keep the "${key}:" line with the value you mean, and remove the other.`,
      );
    }
    // A value such as "Privacy policy: SciLifeLab", which YAML reads as a key inside a value.
    const value = valueOn(text);
    if (key && /^[^"'].*: /.test(value)) {
      throw new SourceError(
        file,
        line,
        `the value of "${key}" holds ": ", which YAML takes for the start of another key.`,
        `put the value in quotes: ${key}: "${value.replace(/["\\]/g, "\\$&")}".`,
      );
    }
    throw new SourceError(
      file,
      line,
      `the front matter is not valid YAML: ${reason}.`,
      'write one "key: value" per line between the two "---" lines; quote values that contain ": " or start with [, {, * or &.',
    );
  }

  for (const key of Object.keys(data)) {
    if (key in fields) continue;
    const guess = closest(key, allowedKeys);
    throw new SourceError(
      file,
      lineOf(key),
      `unknown front matter key "${key}".`,
      `${guess ? `did you mean "${guess}"? ` : ""}The keys a page may have are: ${allowedKeys.join(", ")}.`,
    );
  }

  for (const key of allowedKeys) {
    const field = fields[key];
    const value = data[key];
    if (value === undefined || value === null) {
      if (!field.required) continue;
      throw new SourceError(
        file,
        1,
        `the front matter has no "${key}".`,
        `add the line "${field.example}" between the two "---" lines.`,
      );
    }
    const line = lineOf(key);
    const text = valueOn(lines[line - 1] ?? "");
    if (!field.accepts(value, text)) {
      throw new SourceError(
        file,
        line,
        `"${key}" must be ${field.expected}, but it is ${text === "" ? "empty" : text}.`,
        `write it like "${field.example}".`,
      );
    }
  }

  const bodyLine = source.slice(0, source.length - body.length).split("\n").length;
  return { data: { ...frontMatterDefaults, ...data } as FrontMatter, body, bodyLine };
}

/** The allowed key a typo most likely meant: at most two edits away. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
