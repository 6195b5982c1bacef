// A page's texts in git: each commit that changed its file, oldest first,
// read with two git commands however long the history. `git log --follow`
// names each commit's copy of the file (its blob), and one
// `git cat-file --batch` prints them all, each with its size.
import { execFileSync } from "node:child_process";
import { basename, dirname } from "node:path";
import type { Problem } from "../checks/problems.ts";

export interface CommittedText {
  commit: string;
  /** The committer's date, YYYY-MM-DD. */
  date: string;
  text: string;
}

/** The file's texts, or why git cannot give them (no git, no repository). */
export type GitHistory = { texts: CommittedText[] } | { unknown: string };

const env = { ...process.env, LC_ALL: "C", GIT_OPTIONAL_LOCKS: "0" };
const git = (cwd: string, args: string[], input?: string) =>
  execFileSync("git", ["-c", "core.quotePath=false", "-c", "log.showSignature=false", ...args], {
    ...{ cwd, input, env, stdio: "pipe", maxBuffer: 1 << 30 },
  });

/** The texts `file` had in git; a Problem where a shallow clone cut its history short. */
export function committedTexts(file: string): GitHistory | Problem {
  let log: string;
  try {
    const logArgs = "log --follow --no-merges --raw --no-abbrev --format=commit%x20%H%x20%cs%d --".split(" ");
    log = git(dirname(file), [...logArgs, basename(file)]).toString();
  } catch (error) {
    const { code, stderr } = error as { code?: string; stderr?: Buffer };
    if (code === "ENOENT") return { unknown: "git is not installed" };
    if (/not a git repository/i.test(String(stderr)))
      return { unknown: "the project is not in a git repository (a downloaded archive?)" };
    if (/does not have any commits yet/i.test(String(stderr))) return { texts: [] };
    throw error;
  }
  const changes: { commit: string; date: string; blob: string }[] = [];
  let grafted = false;
  let current = { commit: "", date: "" };
  for (const line of log.split("\n")) {
    // "commit <id> <date>", and " (HEAD -> main, grafted)" where the commit has names.
    const header = /^commit ([0-9a-f]+) (\S+)( \(.*\))?$/.exec(line);
    if (header) [current, grafted] = [{ commit: header[1]!, date: header[2]! }, /\bgrafted\b/.test(header[3] ?? "")];
    // ":100644 100644 <before> <after> M\tpath": the file's blob after the commit; none where it was deleted.
    const blob = /^:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) /.exec(line)?.[1];
    if (blob && !/^0+$/.test(blob)) changes.push({ ...current, blob });
  }
  // The oldest commit is where a shallow clone was cut: the file's history goes on before it.
  if (grafted)
    return {
      file,
      problem:
        "this page's earlier versions cannot be read: the project is a shallow clone, which leaves out the git history they come from.",
      fix: "fetch the whole history with `git fetch --unshallow` (in GitHub Actions, give actions/checkout `fetch-depth: 0`), then build again.",
    };
  const batch = changes.length
    ? git(dirname(file), ["cat-file", "--batch"], changes.map(({ blob }) => blob).join("\n") + "\n")
    : Buffer.alloc(0);
  let at = 0;
  const texts = changes.map(({ commit, date }) => {
    // "<id> blob <size>\n<bytes>\n"
    const headerEnd = batch.indexOf(0x0a, at);
    const size = Number(batch.toString("latin1", at, headerEnd).split(" ")[2]);
    at = headerEnd + 2 + size;
    return { commit, date, text: batch.toString("utf8", headerEnd + 1, headerEnd + 1 + size) };
  });
  return { texts: texts.reverse() };
}
