// Temporary copies of the project's sources (src/, _includes/ and the
// policy's versions from before this repository, earlier-versions/), built by
// the tests instead of the working folder. As a git repository, a copy has
// the history the test gives it: commits of src/privacy.md on given days,
// made with a configuration of its own, whatever the machine's git config.
import { execFileSync } from "node:child_process";
import { cp, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface Project {
  root: string;
  input: string;
  /** src/privacy.md in the copy. */
  policy: string;
}

/**
 * A copy of the sources, not in any git repository (as a downloaded archive is), in a new folder named `prefix` and more: under the temporary folder, or where `prefix` is a path.
 * Without `earlierVersions`, the copy has none of the policy's versions from before this repository, for a history of the test's own.
 */
export async function projectCopy(prefix = "privacy-project-", earlierVersions = true): Promise<Project> {
  const root = await mkdtemp(resolve(tmpdir(), prefix));
  await cp("src", join(root, "src"), { recursive: true });
  await cp("_includes", join(root, "_includes"), { recursive: true });
  if (earlierVersions) await cp("earlier-versions", join(root, "earlier-versions"), { recursive: true });
  return { root, input: join(root, "src"), policy: join(root, "src", "privacy.md") };
}

/** git in `root`, with no user or system configuration, as the given day's committer. */
export function git(root: string, args: string[], day = "2024-01-01"): string {
  const when = `${day}T12:00:00+00:00`;
  return execFileSync("git", args, {
    cwd: root,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "Maintainer",
      GIT_AUTHOR_EMAIL: "maintainer@example.org",
      GIT_COMMITTER_NAME: "Maintainer",
      GIT_COMMITTER_EMAIL: "maintainer@example.org",
      GIT_AUTHOR_DATE: when,
      GIT_COMMITTER_DATE: when,
    },
  });
}

/** Commits the copy's files as they are, on `day`. */
export function commitAll(project: Project, message: string, day?: string): void {
  git(project.root, ["add", "--all"], day);
  git(project.root, ["commit", "--quiet", "--allow-empty", "-m", message], day);
}

/** Makes `root` a git repository. */
export function gitInit(root: string): Project {
  git(root, ["init", "--quiet", "--initial-branch=main"]);
  return { root, input: join(root, "src"), policy: join(root, "src", "privacy.md") };
}

/**
 * A copy as a git repository: its sources committed once, then each text of src/privacy.md committed on its day.
 * Given texts make a history of the test's own: the policy's versions from before this repository are left out.
 */
export async function gitProject(
  policyTexts: { text: string; day: string }[] = [],
  prefix = "privacy-git-",
): Promise<Project> {
  const project = gitInit((await projectCopy(prefix, policyTexts.length === 0)).root);
  const [first, ...later] = policyTexts;
  if (first) await writeFile(project.policy, first.text);
  commitAll(project, "The sources", first?.day);
  for (const { text, day } of later) {
    await writeFile(project.policy, text);
    commitAll(project, `The policy of ${day}`, day);
  }
  return project;
}
