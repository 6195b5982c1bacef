// A page's history in git: each commit that changed its Markdown, oldest
// first, with the file's text at that commit. Two git commands read it,
// however long the history: `git log --follow` names each commit's copy of
// the file (its blob, whose id names its content), and one
// `git cat-file --batch` reads the texts. A blob's text never changes, so the
// history plugin keeps the texts it has read by their ids.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { basename, dirname } from "node:path";
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
    const child = spawn("git", [...plainGit, ...args], {
      cwd,
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C", GIT_OPTIONAL_LOCKS: "0" },
    });
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

/** A file's history as git knows it: the commits that changed it, or why git cannot tell. */
export type FileHistory = { known: true; changes: FileChange[] } | { known: false; why: string };

/**
 * The commits that changed `file`, oldest first, following renames; or why
 * git cannot tell (no git, no repository). A shallow clone that cuts the
 * file's history short (its oldest commit is where the clone was cut,
 * "grafted") throws a SourceError naming the file.
 */
export async function fileChanges(file: string): Promise<FileHistory> {
  const log = await git(dirname(file), [
    "log",
    "--follow",
    "--no-merges",
    "--raw",
    "--no-abbrev",
    "--format=commit %H %cs%d",
    "--",
    basename(file),
  ]).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (!log) return { known: false, why: "git is not installed" };
  if (log.code !== 0) {
    if (/not a git repository/i.test(log.stderr))
      return { known: false, why: "the project is not in a git repository (a downloaded archive?)" };
    if (/does not have any commits yet/i.test(log.stderr)) return { known: true, changes: [] };
    throw new Error(`git log failed for ${file}: ${log.stderr.trim()}`);
  }
  const changes: FileChange[] = [];
  let current: { commit: string; date: string; grafted: boolean } | undefined;
  for (const line of log.stdout.toString().split("\n")) {
    // "commit <id> <date>", and " (HEAD -> main, grafted)" where the commit has names.
    const header = /^commit ([0-9a-f]+) (\d{4}-\d{2}-\d{2})( \(.*\))?$/.exec(line);
    if (header) current = { commit: header[1]!, date: header[2]!, grafted: /[(,] ?grafted[,)]/.test(header[3] ?? "") };
    // ":100644 100644 <before> <after> M\tpath": the file's blob after the commit; none where it was deleted.
    const raw = /^:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) /.exec(line);
    if (raw && current && !noBlob.test(raw[1]!))
      changes.push({ commit: current.commit, date: current.date, blob: raw[1]! });
  }
  if (current?.grafted) {
    throw new SourceError(
      file,
      undefined,
      "this page's earlier versions cannot be read: the project is a shallow clone of its git repository, which leaves out the history the page's history is built from.",
      "fetch the whole history with `git fetch --unshallow` (in GitHub Actions, give actions/checkout `fetch-depth: 0`), then build again.",
    );
  }
  return { known: true, changes: changes.reverse() };
}

/** One object as `git cat-file --batch` prints it: "<id> <type> <size>\n<bytes>\n", or "<id> missing\n". */
export interface GitObject {
  id: string;
  type: string;
  content: Buffer;
}

/** git's id of an object: the SHA-1 of "<type> <length>\0" and its bytes. */
export const objectId = ({ type, content }: Pick<GitObject, "type" | "content">): string =>
  createHash("sha1").update(`${type} ${content.length}\0`).update(content).digest("hex");

/** The objects in what `git cat-file --batch` printed, in its order. */
export function parseBatch(output: Buffer): GitObject[] {
  const objects: GitObject[] = [];
  for (let at = 0; at < output.length;) {
    const headerEnd = output.indexOf(0x0a, at);
    const [id = "", type = "", size] = output.toString("latin1", at, headerEnd).split(" ");
    // A missing object has no size and no bytes.
    const end = size === undefined ? headerEnd : headerEnd + 1 + Number(size);
    if (headerEnd < 0 || end > output.length)
      throw new Error(`git cat-file's output is cut short after ${objects.length} objects.`);
    objects.push({ id, type, content: output.subarray(Math.min(headerEnd + 1, end), end) });
    at = end + 1;
  }
  return objects;
}

/** The texts of `blobs`, in their order, read by one `git cat-file --batch` in `folder`. */
export async function readBlobs(folder: string, blobs: string[]): Promise<string[]> {
  if (blobs.length === 0) return [];
  const batch = await git(folder, ["cat-file", "--batch"], blobs.join("\n") + "\n");
  if (batch.code !== 0) throw new Error(`git cat-file failed in ${folder}: ${batch.stderr.trim()}`);
  return parseBatch(batch.stdout).map(({ id, type, content }) => {
    if (type !== "blob")
      throw new Error(
        `git cat-file in ${folder}: ${id} is ${type === "missing" ? "missing from the repository (a partial clone?)" : `a ${type}, not a file's text`}.`,
      );
    return content.toString("utf8");
  });
}
