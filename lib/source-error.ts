/**
 * A mistake in the project's sources that a maintainer can fix: where it is,
 * what is wrong and how to fix it. The build prints it without a stack trace.
 */
export class SourceError extends Error {
  override name = "SourceError";
  /** Read by Eleventy's error handler: the stack would only hide the message. */
  readonly skipOriginalStack = !process.env.DEBUG;

  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${problem}\n    Fix: ${fix}`);
  }
}

/** The SourceError somewhere in an error's chain of causes, if any. */
export function findSourceError(error: unknown): SourceError | undefined {
  for (let e = error; e instanceof Error; e = e.cause ?? (e as { originalError?: unknown }).originalError) {
    if (e instanceof SourceError) return e;
  }
  return undefined;
}
