// Template code in a page, checked before Eleventy renders it. Pages are
// rendered through Nunjucks (so that the policy can include the opt-out form),
// so "{{", "{%" and "{#" in their text start template code. A slip there would
// stop Eleventy with a stack trace and a line counted from the end of the
// front matter; here it gets the file's own line, what is open or unclosed,
// or which filter or template does not exist, and how to write braces as
// text. Nunjucks' own parser reads the code, so what passes here is what
// Eleventy can render.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import nunjucks from "nunjucks";
import { SourceError } from "./source-error.ts";

/** What a page's template code may name besides Nunjucks' own filters. */
export interface TemplateNames {
  /** Whether the build has a filter of this name. */
  hasFilter(name: string): boolean;
  /** The folder templates are included from (_includes/). */
  includes: string;
}

/** The tags Nunjucks closes with an end tag, such as "if" with "endif". */
const pairedTags = new Set([
  "if",
  "for",
  "asyncEach",
  "asyncAll",
  "macro",
  "call",
  "filter",
  "block",
  "raw",
  "verbatim",
]);

const asText =
  "to show the braces as text, wrap them in {% raw %}…{% endraw %}, as in {% raw %}{{ price }}{% endraw %}";

/** The last paired tag left open in `text`, with its line there (from 1), as Nunjucks' lexer reads the tags. */
function lastOpenTag(text: string): { name: string; line: number } | undefined {
  const open: { name: string; line: number }[] = [];
  const tokens = nunjucks.lexer.lex(text);
  let tagStarted = false;
  try {
    for (let token = tokens.nextToken(); token; token = tokens.nextToken()) {
      if (token.type === "block-start") tagStarted = true;
      else if (tagStarted && token.type !== "whitespace") {
        tagStarted = false;
        if (pairedTags.has(token.value)) open.push({ name: token.value, line: token.lineno + 1 });
        else if (token.value === `end${open.at(-1)?.name}`) open.pop();
      }
    }
  } catch {
    // The lexer stops at what it cannot read: the tags before it are what is open.
  }
  return open.at(-1);
}

/** What Nunjucks says, in a maintainer's words. */
function explained(message: string): string {
  const tag = /^unknown block tag: (\S+)/.exec(message)?.[1];
  if (tag?.startsWith("end")) return `"{% ${tag} %}" closes nothing: no {% ${tag.slice(3)} %} is open here.`;
  if (tag) return `"{% ${tag} %}" is no template tag: Nunjucks has none of that name.`;
  if (/^expected variable end/.test(message))
    return '"{{" starts a template variable here that is not closed with "}}".';
  if (/^tag name expected/.test(message)) return '"{%" starts a template tag here, but no tag name follows it.';
  return `the template code here cannot be read: Nunjucks says "${message}".`;
}

/** Nunjucks' own filters, which every page has. */
const nunjucksFilters = new nunjucks.Environment([]);
const isNunjucksFilter = (name: string) => {
  try {
    nunjucksFilters.getFilter(name);
    return true;
  } catch {
    return false;
  }
};

/**
 * The folders Eleventy's Nunjucks looks in for the template `name` included by the page `file`: the page's own
 * for a name that starts with "./" or "../"; otherwise the includes folder, then the project's.
 */
const templateFolders = (name: string, file: string, includes: string): [string, ...string[]] =>
  /^\.\.?\//.test(name) ? [dirname(file)] : [includes, "."];

/**
 * The template code mistakes in `body`, the text of `file` after its front matter, which starts on the file's
 * line `bodyLine`: the syntax Nunjucks cannot read, or else each filter and template named that does not exist.
 */
export function templateProblems(body: string, file: string, bodyLine: number, names: TemplateNames): SourceError[] {
  if (!/\{[{%#]/.test(body)) return [];
  let root: ReturnType<typeof nunjucks.parser.parse>;
  try {
    root = nunjucks.parser.parse(body);
  } catch (error) {
    return [syntaxProblem(error, body, file, bodyLine)];
  }
  const fix = `${asText}.`;
  const filters = root
    .findAll(nunjucks.nodes.Filter)
    .flatMap(({ name, lineno }) =>
      isNunjucksFilter(name.value) || names.hasFilter(name.value)
        ? []
        : [
            new SourceError(
              file,
              bodyLine + lineno,
              `"${name.value}" is no filter: neither Nunjucks nor this build has one of that name.`,
              `correct the filter's name, or ${fix}`,
            ),
          ],
    );
  const included = [nunjucks.nodes.Include, nunjucks.nodes.Import, nunjucks.nodes.FromImport, nunjucks.nodes.Extends];
  const templates = included.flatMap((type) =>
    root.findAll(type).flatMap(({ template, lineno }) => {
      // A name in quotes; one computed from data can only be checked as the page renders.
      const { Literal, Symbol } = nunjucks.nodes;
      const name = template instanceof Literal && !(template instanceof Symbol) ? template.value : undefined;
      if (typeof name !== "string") return [];
      const folders = templateFolders(name, file, names.includes);
      if (folders.some((folder) => existsSync(join(folder, name)))) return [];
      const available = readdirSync(names.includes).filter((entry) => entry.endsWith(".njk"));
      return [
        new SourceError(
          file,
          bodyLine + lineno,
          `the template "${name}" does not exist: ${folders[0]} has no file of that name.`,
          `name a template of ${names.includes}, ${available.map((entry) => `"${entry}"`).join(", ")}, or ${fix}`,
        ),
      ];
    }),
  );
  return [...filters, ...templates];
}

/** What Nunjucks' parser said of `body`, on the file's line, in a maintainer's words. */
function syntaxProblem(error: unknown, body: string, file: string, bodyLine: number): SourceError {
  const { message, lineno } = error as { message: string; lineno?: number };
  const fix = `${asText}; to write template code, close each tag: {{ … }}, {% … %}, {# … #}.`;
  if (lineno !== undefined) return new SourceError(file, bodyLine + lineno - 1, explained(message), fix);
  // At the end of the text: something opened earlier is never closed.
  const lineOf = (index: number) => bodyLine + body.slice(0, index).split("\n").length - 1;
  if (/end of comment/.test(message)) {
    const problem = '"{#" starts a template comment that is never closed with "#}": the rest of the page would vanish.';
    return new SourceError(file, lineOf(body.lastIndexOf("{#")), problem, `close it with "#}", or ${asText}.`);
  }
  const open = lastOpenTag(body);
  if (!open) return new SourceError(file, lineOf(body.length), explained(message), fix);
  const problem = `"{% ${open.name} %}" is opened here and never closed with {% end${open.name} %}: the rest of the page would be inside it.`;
  return new SourceError(
    file,
    bodyLine + open.line - 1,
    problem,
    `close it with {% end${open.name} %} where it should end, or ${asText}.`,
  );
}
