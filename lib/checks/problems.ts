// A mistake in the sources a maintainer can fix: the file, its line, what is wrong and the fix.
export interface Problem {
  file: string;
  /** From 1; none where the mistake is the whole file's. */
  line?: number;
  problem: string;
  fix: string;
}

export const formatProblem = ({ file, line, problem, fix }: Problem): string =>
  `${line ? `${file}:${line}` : file}: ${problem}\n    Fix: ${fix}`;

/** Every mistake one build found, in file order, so a maintainer mends them all in one round; `then`: what to do next. */
export class SourceProblems extends Error {
  override name = "SourceProblems";
  readonly problems: Problem[];

  constructor(problems: Problem[], then = "save") {
    const sorted = problems.toSorted((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
    super(sorted.map(formatProblem).join("\n"));
    this.problems = sorted;
    // The preview prints an error's stack after its message: what to do next says more than our own frames.
    this.stack = `${this.name}: fix the ${sorted.length === 1 ? "mistake" : "mistakes"} above and ${then}.`;
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** `bytes` as UTF-8 (a byte-order mark dropped), or the problem on the line of the first byte that is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, file: string): string | Problem {
  try {
    return utf8.decode(bytes);
  } catch {
    const text = new TextDecoder().decode(bytes);
    const problem =
      "the file is not UTF-8 (saved as Latin-1, Windows-1252 or UTF-16?): the page would show \uFFFD for å, ä, ö.";
    const fix =
      'reopen it in its real encoding and save it as "UTF-8" (VS Code: "Reopen with Encoding", "Save with Encoding").';
    return { file, line: text.slice(0, text.indexOf("\uFFFD")).split("\n").length, problem, fix };
  }
}
