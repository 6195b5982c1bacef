// Copies of the project in temporary folders, which the tests edit and build
// as a maintainer would: the tracked files as they are in the working tree,
// node_modules linked. As a git repository, a copy has the history the test
// gives it, made with a configuration of its own, whatever the machine's.
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Project {
  root: string;
  read(path: string): string;
  write(path: string, text: string | Buffer): void;
  /** An npm script, as `npm run <name> -- ...args` in the copy. */
  npm(name: string, args?: string[], env?: NodeJS.ProcessEnv): Promise<Run>;
  /** git in the copy, as the given day's committer. */
  git(args: string[], day?: string): string;
  /** Commits every file as it is, on `day`. */
  commit(day: string): void;
}

const tracked = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
  encoding: "utf8",
})
  .split("\0")
  .filter((file) => file && !file.startsWith("public/"));

/** `npm run <name> -- ...args` in `root`. */
export const npm = (root: string, name: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  new Promise<Run>((done) => {
    const options = { cwd: root, env: { ...process.env, ...env } };
    const child = execFile("npm", ["run", "--silent", name, "--", ...args], options, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });

// Removed when the test file's process ends, however it ends: interrupted, it exits, so that every exit
// handler runs (this one, and those that stop the servers and browsers a test started in groups of their own).
const copies: string[] = [];
process.once("exit", () => copies.forEach((root) => rmSync(root, { recursive: true, force: true })));
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, () => process.exit(130));

/** A copy of the project, without the folders `leaveOut`; `git`: a repository whose first commit holds every file, on `day`. */
export function copyProject({ git = false, day = "2024-01-01", leaveOut = [] as string[] } = {}): Project {
  const root = mkdtempSync(join(tmpdir(), "privacy-project-"));
  // As a checkout's, readable by a web server's user (mkdtemp makes it private).
  chmodSync(root, 0o755);
  copies.push(root);
  for (const file of tracked.filter((file) => !leaveOut.some((folder) => file.startsWith(`${folder}/`))))
    cpSync(file, join(root, file));
  symlinkSync(resolve("node_modules"), join(root, "node_modules"));
  const project: Project = {
    root,
    read: (path) => readFileSync(join(root, path), "utf8"),
    write: (path, text) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    },
    npm: (name, args, env) => npm(root, name, args, env),
    git: (args, commitDay = day) => {
      const when = `${commitDay}T12:00:00+00:00`;
      const identity = {
        GIT_AUTHOR_NAME: "Maintainer",
        GIT_AUTHOR_EMAIL: "m@example.org",
        GIT_COMMITTER_NAME: "Maintainer",
        GIT_COMMITTER_EMAIL: "m@example.org",
      };
      const env = {
        ...process.env,
        ...identity,
        GIT_CONFIG_GLOBAL: "/dev/null",
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_AUTHOR_DATE: when,
        GIT_COMMITTER_DATE: when,
      };
      return execFileSync("git", args, { cwd: root, env, encoding: "utf8" });
    },
    commit: (commitDay) => {
      project.git(["add", "--all"], commitDay);
      project.git(["commit", "--quiet", "--allow-empty", "-m", `Edit of ${commitDay}`], commitDay);
    },
  };
  if (git) {
    project.git(["init", "--quiet", "--initial-branch=main"]);
    project.commit(day);
  }
  return project;
}
