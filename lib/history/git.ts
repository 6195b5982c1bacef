// A page's history in git: each commit that changed its Markdown, oldest
// first, with the file's text at that commit. At most two git commands read
// it, however long the history: `git log --follow` names each commit's copy
// of the file (its blob, whose id names its content), and one
// `git cat-file --batch` reads the texts. A build of a commit it has built
// before needs neither: it reads the commit checked out from .git, and the
// rest is kept in .cache/history/ (plugin.ts).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { SourceError } from "../source-error.ts";

/** A commit that changed the file, and the file's content (its blob) after it. */
export interface FileChange {
  commit: string;
  /** The commit's date where its committer was, YYYY-MM-DD. */
  date: string;
  blob: string;
}

/** Settings of the user's that would change what git prints. */
const plainGit = ["-c", "core.quotePath=false", "-c", "log.showSignature=false", "-c", "diff.renames=true"];

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function git(cwd: string, args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...plainGit, ...args], { cwd, stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, LC_ALL: "C", GIT_OPTIONAL_LOCKS: "0" } });
    const stdout: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr }));
    child.stdin.end(input);
  });
}

const noBlob = /^0+$/;

/** What the repository holding a folder has checked out, as its files say. */
export interface CheckedOut {
  /** The commit's id: with the path, it names the file's whole history. */
  commit: string;
  /** The work tree's top folder. */
  root: string;
  /** The repository's settings, which may change what git log says. */
  config: string;
}

/** Variables that change which repository git finds, or what its history holds. */
const repositoryVariables = ["GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_CEILING_DIRECTORIES", "GIT_OBJECT_DIRECTORY", "GIT_SHALLOW_FILE", "GIT_GRAFT_FILE", "GIT_REPLACE_REF_BASE", "GIT_NO_REPLACE_OBJECTS", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT"];

/**
 * The commit checked out where `folder` is, read from the repository's files
 * without starting git: each start of git costs the build 10 to 20 ms here
 * (forking a process as large as Eleventy's). Undefined wherever the answer
 * would take git itself (git's variables set, a shallow clone, grafts or
 * replaced objects, refs in a reftable, no commit yet): then git is asked.
 */
export function checkedOutCommit(folder: string): CheckedOut | undefined {
  if (repositoryVariables.some((name) => process.env[name] !== undefined)) return undefined;
  try {
    let root = realpathSync(folder);
    while (!existsSync(join(root, ".git"))) {
      if (dirname(root) === root) return undefined;
      root = dirname(root);
    }
    // A linked work tree or a submodule has a .git file naming its git folder; a linked work tree's names the folder shared with the main one.
    let gitDir = join(root, ".git");
    if (statSync(gitDir).isFile()) gitDir = resolve(root, /^gitdir: (.+)$/m.exec(readFileSync(gitDir, "utf8"))![1]!.trim());
    const shared = existsSync(join(gitDir, "commondir")) ? resolve(gitDir, readFileSync(join(gitDir, "commondir"), "utf8").trim()) : gitDir;
    if (["shallow", "reftable", "info/grafts"].some((name) => existsSync(join(shared, name)))) return undefined;
    const packedRefs = existsSync(join(shared, "packed-refs")) ? readFileSync(join(shared, "packed-refs"), "utf8") : "";
    const replaced = existsSync(join(shared, "refs", "replace")) && readdirSync(join(shared, "refs", "replace")).length > 0;
    if (replaced || packedRefs.includes(" refs/replace/")) return undefined;
    // HEAD names a branch (a loose ref, else a packed one) or, detached, a commit.
    let head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
    for (let depth = 0; depth < 5 && head.startsWith("ref: "); depth++) {
      const ref = head.slice("ref: ".length).trim();
      const loose = join(shared, ref);
      head = existsSync(loose) ? readFileSync(loose, "utf8").trim() : (packedRefs.split("\n").find((line) => line.endsWith(` ${ref}`))?.split(" ")[0] ?? "");
    }
    if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(head)) return undefined;
    return { commit: head, root, config: readFileSync(join(shared, "config"), "utf8") };
  } catch {
    return undefined;
  }
}

/**
 * Whether git can read the history of `pages` (in `folder`): undefined when
 * it can, or why not (no git, no repository). A shallow clone has a history
 * that is cut short: that throws a SourceError naming the first page.
 */
export async function historyUnknown(folder: string, pages: string[]): Promise<string | undefined> {
  const probe = await git(folder, ["rev-parse", "--is-shallow-repository"]).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (!probe) return "git is not installed";
  if (probe.code !== 0) {
    if (/not a git repository/i.test(probe.stderr)) return "the project is not in a git repository (a downloaded archive?)";
    throw new Error(`git cannot read the history in ${folder}: ${probe.stderr.trim()}`);
  }
  if (probe.stdout.toString().trim() === "true") {
    throw new SourceError(
      pages[0] ?? folder,
      undefined,
      "this page's earlier versions cannot be read: the project is a shallow clone of its git repository, which leaves out the history the page's history is built from.",
      "fetch the whole history with `git fetch --unshallow` (in GitHub Actions, give actions/checkout `fetch-depth: 0`), then build again.",
    );
  }
  return undefined;
}

/** The commits that changed `file`, oldest first, following renames. */
export async function fileChanges(file: string): Promise<FileChange[]> {
  const log = await git(dirname(file), ["log", "--follow", "--no-merges", "--raw", "--no-abbrev", "--format=commit %H %cs", "--", basename(file)]);
  if (log.code !== 0) throw new Error(`git log failed for ${file}: ${log.stderr.trim()}`);
  const changes: FileChange[] = [];
  let current: { commit: string; date: string } | undefined;
  for (const line of log.stdout.toString().split("\n")) {
    const header = /^commit ([0-9a-f]+) (\d{4}-\d{2}-\d{2})$/.exec(line);
    if (header) current = { commit: header[1]!, date: header[2]! };
    // ":100644 100644 <before> <after> M\tpath": the file's blob after the commit; none where it was deleted.
    const raw = /^:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) /.exec(line);
    if (raw && current && !noBlob.test(raw[1]!)) changes.push({ ...current, blob: raw[1]! });
  }
  return changes.reverse();
}

/** The texts of `blobs`, in their order, read by one `git cat-file --batch` in `folder`. */
export async function readBlobs(folder: string, blobs: string[]): Promise<string[]> {
  if (blobs.length === 0) return [];
  const batch = await git(folder, ["cat-file", "--batch"], blobs.join("\n") + "\n");
  if (batch.code !== 0) throw new Error(`git cat-file failed in ${folder}: ${batch.stderr.trim()}`);
  // Each object comes as "<id> blob <size>\n<bytes>\n".
  const texts: string[] = [];
  for (let at = 0; texts.length < blobs.length; ) {
    const headerEnd = batch.stdout.indexOf(0x0a, at);
    const size = Number(batch.stdout.toString("latin1", at, headerEnd).split(" ")[2]);
    texts.push(batch.stdout.toString("utf8", headerEnd + 1, headerEnd + 1 + size));
    at = headerEnd + 1 + size + 1;
  }
  return texts;
}
