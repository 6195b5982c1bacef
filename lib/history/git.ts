// A page's texts in git: each commit that changed its file, oldest first,
// from one `git log -p` however long the history. With a context as long as
// any file, each commit's patch holds the whole file: its new side (the lines
// kept and added) is the file's text after the commit.
import { execFile } from "node:child_process";
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

// Whatever the user's configuration, the patch as these lines read it: no colour, no other diff, a blank line as " ".
const settings = [
  "core.quotePath=false",
  "log.showSignature=false",
  "diff.suppressBlankEmpty=false",
  "diff.noprefix=false",
];
const log = [
  "log",
  "--follow",
  "--no-merges",
  "-p",
  "--unified=1000000000",
  "--no-color",
  "--no-ext-diff",
  "--no-textconv",
];
const env = { ...process.env, LC_ALL: "C", GIT_OPTIONAL_LOCKS: "0" };

/** The texts `file` had in git; a Problem where a shallow clone cut its history short. */
export async function committedTexts(file: string): Promise<GitHistory | Problem> {
  const args = [
    ...settings.flatMap((setting) => ["-c", setting]),
    ...log,
    "--format=%x00%H %cs%d",
    "--",
    basename(file),
  ];
  const output = await new Promise<string>((resolve, reject) =>
    // Asynchronous, so that the build does other work meanwhile.
    execFile("git", args, { cwd: dirname(file), env, maxBuffer: 1 << 30 }, (error, stdout, stderr) =>
      error ? reject(Object.assign(error, { stderr })) : resolve(stdout),
    ),
  ).catch((error: { code?: string; stderr?: string }) => {
    if (error.code === "ENOENT") return { unknown: "git is not installed" };
    if (/not a git repository/i.test(String(error.stderr)))
      return { unknown: "the project is not in a git repository (a downloaded archive?)" };
    if (/does not have any commits yet/i.test(String(error.stderr))) return "";
    throw error;
  });
  if (typeof output !== "string") return output;
  const texts: (CommittedText & { changed: boolean })[] = [];
  let grafted = false;
  for (const patch of output.split("\0").slice(1)) {
    // "<id> <date>", and " (HEAD -> main, grafted)" where the commit has names; then the patch.
    const [header = "", ...lines] = patch.split("\n");
    const [, commit = "", date = "", names = ""] = /^(\S+) (\S+)(.*)$/.exec(header) ?? [];
    grafted = /\bgrafted\b/.test(names);
    if (lines.includes("+++ /dev/null")) continue;
    const hunk = lines.findIndex((line) => line.startsWith("@@ "));
    let [kept, newSide, endsInNewline] = [[] as string[], false, true];
    for (const line of hunk === -1 ? [] : lines.slice(hunk + 1)) {
      if (line[0] === " " || line[0] === "+") {
        kept.push(line.slice(1));
        newSide = true;
      } else if (line[0] === "-") newSide = false;
      // "\ No newline at end of file", after a line of the new side.
      else if (line[0] === "\\" && newSide) endsInNewline = false;
    }
    // No hunk: a rename or a change of mode, the text as it was.
    texts.push({
      commit,
      date,
      text: kept.join("\n") + (endsInNewline && kept.length ? "\n" : ""),
      changed: hunk !== -1,
    });
  }
  // The oldest commit is where a shallow clone was cut: the file's history goes on before it.
  if (grafted)
    return {
      file,
      problem:
        "this page's earlier versions cannot be read: the project is a shallow clone, which leaves out the git history they come from.",
      fix: "fetch the whole history with `git fetch --unshallow` (in GitHub Actions, give actions/checkout `fetch-depth: 0`), then build again.",
    };
  texts.reverse().forEach((text, i) => {
    if (!text.changed && i > 0) text.text = texts[i - 1]!.text;
  });
  return { texts: texts.map(({ commit, date, text }) => ({ commit, date, text })) };
}
