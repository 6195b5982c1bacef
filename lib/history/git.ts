// A page's texts in git: each commit that changed its file, oldest first,
// from one `git log -p` however long the history. With a context as long as
// any file, each commit's patch holds the whole file: its new side (the lines
// kept and added) is the file's text after the commit.
import { execFile } from "node:child_process";
import { basename, dirname } from "node:path";
import type { Problem } from "../checks/problems.ts";

/** The file's texts with the days they were committed, or why git cannot give them (no git, no repository). */
type GitHistory = { texts: { date: string; text: string }[] } | { unknown: string };

// Whatever the user's configuration: no colour, no diff of another program, a blank line written " ".
const settings =
  "-c core.quotePath=false -c log.showSignature=false -c diff.suppressBlankEmpty=false -c diff.noprefix=false";
const log =
  "log --follow --no-merges -p --unified=1000000000 --no-color --no-ext-diff --no-textconv --format=%x00%H%x20%cs%d";
const env = { ...process.env, LC_ALL: "C", GIT_OPTIONAL_LOCKS: "0" };

/** The texts `file` had in git; a Problem where a shallow clone cut its history short. */
export async function committedTexts(file: string): Promise<GitHistory | Problem> {
  const args = [...`${settings} ${log} --`.split(" "), basename(file)];
  // Asynchronous, so that the build does other work meanwhile.
  const output = await new Promise<string>((resolve, reject) =>
    execFile("git", args, { cwd: dirname(file), env, maxBuffer: 1 << 30 }, (error, stdout, stderr) =>
      error ? reject(Object.assign(error, { stderr })) : resolve(stdout),
    ),
  ).catch(({ code, stderr }: { code?: string; stderr?: string }) => {
    if (code === "ENOENT") return { unknown: "git is not installed" };
    if (/not a git repository/i.test(String(stderr)))
      return { unknown: "the project is not in a git repository (a downloaded archive?)" };
    if (/does not have any commits yet/i.test(String(stderr))) return "";
    throw new Error(`git log failed for ${file}: ${stderr}`);
  });
  if (typeof output !== "string") return output;
  const texts: { date: string; text?: string }[] = [];
  let grafted = false;
  for (const patch of output.split("\0").slice(1)) {
    // "<id> <date>", with " (HEAD -> main, grafted)" where the commit has names; then the patch.
    const [header = "", ...lines] = patch.split("\n");
    const [, date = "", names = ""] = /^\S+ (\S+)(.*)$/.exec(header) ?? [];
    grafted = /\bgrafted\b/.test(names);
    const hunk = lines.findIndex((line) => line.startsWith("@@ "));
    if (lines.includes("+++ /dev/null")) continue;
    const kept: string[] = [];
    let [newSide, endsInNewline] = [false, true];
    for (const line of hunk === -1 ? [] : lines.slice(hunk + 1)) {
      if (line[0] === " " || line[0] === "+") {
        kept.push(line.slice(1));
        newSide = true;
      } else if (line[0] === "-") newSide = false;
      else if (line[0] === "\\" && newSide) endsInNewline = false; // "\ No newline at end of file", of the new side
    }
    // No hunk: a rename or a change of mode, with the text of the commit before.
    texts.push({ date, text: hunk === -1 ? undefined : kept.join("\n") + (endsInNewline && kept.length ? "\n" : "") });
  }
  // The oldest commit is where a shallow clone was cut: the file's history goes on before it.
  if (grafted) {
    const problem =
      "this page's earlier versions cannot be read: the project is a shallow clone, which leaves out the git history.";
    return {
      file,
      problem,
      fix: "fetch it with `git fetch --unshallow` (in GitHub Actions, actions/checkout's `fetch-depth: 0`), then build again.",
    };
  }
  const oldestFirst = texts.reverse();
  oldestFirst.forEach((version, i) => (version.text ??= oldestFirst[i - 1]?.text ?? ""));
  return { texts: oldestFirst as { date: string; text: string }[] };
}
