/**
 * A mistake in the project's sources that a maintainer can fix: where it is,
 * what is wrong and how to fix it. The build prints it without a stack trace.
 */
export class SourceError extends Error {
  override name = "SourceError";
  /** Read by Eleventy's error handler: the stack would only hide the message. */
  readonly skipOriginalStack = !process.env.DEBUG;

  readonly file: string;
  readonly line: number | undefined;
  readonly problem: string;
  readonly fix: string;

  constructor(file: string, line: number | undefined, problem: string, fix: string) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${problem}\n    Fix: ${fix}`);
    [this.file, this.line, this.problem, this.fix] = [file, line, problem, fix];
  }
}

/** Every mistake one build found, in the order of the files and their lines: a maintainer fixes them all in one round. */
export class SourceErrors extends AggregateError {
  override name = "SourceErrors";
  readonly skipOriginalStack = !process.env.DEBUG;
  declare readonly errors: SourceError[];

  constructor(errors: SourceError[]) {
    const sorted = [...errors].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
    super(sorted, sorted.map((error) => error.message).join("\n"));
  }
}

/** The SourceErrors somewhere in an error's chain of causes, in order; none if it holds none. */
export function sourceErrorsIn(error: unknown): SourceError[] {
  for (let e = error; e instanceof Error; e = e.cause ?? (e as { originalError?: unknown }).originalError) {
    if (e instanceof SourceErrors) return e.errors;
    if (e instanceof SourceError) return [e];
  }
  return [];
}

/** The first SourceError somewhere in an error's chain of causes, if any. */
export const findSourceError = (error: unknown): SourceError | undefined => sourceErrorsIn(error)[0];
