// The programs some tests drive (browsers, nginx, shellcheck) come from
// Debian packages. Without one, those tests are skipped with the reason;
// with CI set, where they must run, a missing program fails the run.
import { existsSync } from "node:fs";

export interface Tool {
  name: string;
  path: string;
  /** The Debian package that installs it. */
  debianPackage: string;
  /** The environment variable that points at another copy, if any. */
  variable?: string;
}

/** Why the tests of `what` cannot run here, or undefined when they can; throws in CI. */
export function toolsMissing(what: string, tools: Tool[]): string | undefined {
  const missing = tools.filter((tool) => !existsSync(tool.path));
  if (missing.length === 0) return undefined;
  const reason = missing
    .map(
      ({ name, path, debianPackage, variable }) =>
        `no ${name} at ${path}: install it (apt-get install ${debianPackage})${variable ? ` or set ${variable}` : ""}`,
    )
    .join("; ");
  if (process.env.CI) throw new Error(`${reason}. CI must run ${what}.`);
  return reason;
}
