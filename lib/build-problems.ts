// Every mistake a build finds in its sources, reported at once: the checks
// add what they find and the build goes on, so one run lists every mistake,
// in the order of the files. The page checks report the list once every page
// is written (page-checks.ts); a production build then throws its folder
// away whole (build.ts), and a preview prints it and leaves the open page as it was.
import { SourceError, SourceErrors } from "./source-error.ts";

export class BuildProblems {
  #found: SourceError[] = [];

  add(problem: SourceError | undefined): void {
    if (problem) this.#found.push(problem);
  }

  /** Runs `check`, keeping the mistake it throws, if any. */
  attempt(check: () => void): void {
    try {
      check();
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      this.add(error);
    }
  }

  /** Forgets what an earlier build found. */
  clear(): void {
    this.#found = [];
  }

  /** Throws every mistake found, if there is any, and starts the list afresh. */
  report(): void {
    const found = this.#found;
    this.#found = [];
    if (found.length > 0) throw new SourceErrors(found);
  }
}
