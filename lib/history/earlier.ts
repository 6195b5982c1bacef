// Versions a page had in force before this repository existed:
// earlier-versions/<page>/ holds one file per version, the text exactly as
// another repository had it at a commit (the portal's, for the privacy policy),
// below a front matter that says where it came from and which release of that
// repository first published it:
//
//   ---
//   written: 2024-11-05                           # the words' commit's author date
//   repository: ScilifelabDataCentre/genome-portal
//   commit: b04d9cc8cbb58a712d5ea1740b5d86955d680c61
//   path: hugo/content/privacy/_index.md
//   blob: e287f96b84c46d9d05ed98301ff95384ea894480 # git's id of the text below
//   release: v1.0.0                               # the first release that contains the commit
//   released: 2024-11-07                          # its date: the version is in force from then
//   ---
//   (the text, byte for byte)
//
// git names a text by a hash of its bytes (its blob id), so the build checks
// each text against "blob": a text edited by mistake is refused. The release
// is checked against the objects in <name>.release beside it (release.ts).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import matter from "gray-matter";
import { isoDate } from "../dates.ts";
import { SourceError } from "../source-error.ts";
import { readSourceText } from "../source-text.ts";
import { objectId } from "./git.ts";
import { releaseProblem } from "./release.ts";

export interface EarlierVersion {
  file: string;
  /** YYYY-MM-DD: the day its release published it, from which it was in force, and that line in the file. */
  released: string;
  /** The lines of "release" and "released" in the file. */
  lines: { release: number; released: number };
  /** The release's tag, and when the words were written (YYYY-MM-DD). */
  release: string;
  written: string;
  /** The other repository ("owner/name" on GitHub), the commit there that had it, and the file's path. */
  repository: string;
  commit: string;
  path: string;
  text: string;
}

const keys = ["written", "repository", "commit", "path", "blob", "release", "released"] as const;
const dateKeys = ["written", "released"] as const;

/** git's id of a text, as `git hash-object` gives it. */
export const blobId = (text: string): string => objectId({ type: "blob", content: Buffer.from(text, "utf8") });

/** One file of earlier-versions/: the version, or what is wrong with it. */
async function readEarlierVersion(file: string): Promise<EarlierVersion | SourceError> {
  const source = await readSourceText(file);
  const lineOf = (key: string) => source.split("\n").findIndex((line) => line.startsWith(`${key}:`)) + 1 || 1;
  let data: Record<string, unknown>;
  let text: string;
  try {
    ({ data, content: text } = matter(source, { language: "yaml" }));
  } catch (error) {
    return new SourceError(
      file,
      1,
      `the front matter is not valid YAML: ${(error as Error).message}.`,
      `write it as the other files in this folder have it: ${keys.join(", ")}.`,
    );
  }
  const missing = keys.filter((key) => data[key] === undefined || data[key] === null);
  if (missing.length > 0) {
    return new SourceError(
      file,
      1,
      `the front matter has no ${missing.map((key) => `"${key}"`).join(", ")}.`,
      `say where the text comes from and which release first published it, with ${keys.join(", ")}, as the other files in this folder do.`,
    );
  }
  for (const key of dateKeys) {
    const date = data[key];
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
      return new SourceError(
        file,
        lineOf(key),
        `"${key}" must be a real date, YYYY-MM-DD.`,
        `write the day ${key === "written" ? "the words' commit was written (its author date)" : "the release was tagged"}, such as 2024-11-07.`,
      );
    }
  }
  const recorded = String(data.blob);
  const actual = blobId(text);
  if (actual !== recorded) {
    return new SourceError(
      file,
      lineOf("blob"),
      `the text below the front matter is not the one published: its git blob id is ${actual}, but this file records ${recorded}, the text of ${data.path} at ${data.repository} commit ${String(data.commit).slice(0, 7)}.`,
      `never edit an earlier version: put back that text exactly (git show ${data.commit}:${data.path} in a clone of ${data.repository}), below the second "---".`,
    );
  }
  const version = {
    file,
    repository: String(data.repository),
    commit: String(data.commit),
    path: String(data.path),
    written: isoDate(data.written as Date),
    release: String(data.release),
    released: isoDate(data.released as Date),
    lines: { release: lineOf("release"), released: lineOf("released") },
    text,
  };
  const proofFile = file.replace(/\.md$/, ".release");
  const proof = await readFile(proofFile).catch(() => undefined);
  const wrong = proof
    ? releaseProblem(proof, version)
    : { key: "release" as const, problem: `there is no ${proofFile} to check the release against.` };
  if (wrong) {
    return new SourceError(
      file,
      lineOf(wrong.key),
      wrong.problem,
      `record the first release of ${data.repository} that contains commit ${version.commit.slice(0, 7)}, and write ${proofFile} again with the command in docs/history.md.`,
    );
  }
  return version;
}

/**
 * The versions in `folder` (none if there is no such folder), oldest first;
 * each file that is not as it should be is a SourceError in `problems`.
 */
export async function earlierVersions(
  folder: string,
): Promise<{ versions: EarlierVersion[]; problems: SourceError[] }> {
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  const read = await Promise.all(
    names.filter((name) => name.endsWith(".md")).map((name) => readEarlierVersion(join(folder, name))),
  );
  const versions = read
    .filter((version): version is EarlierVersion => !(version instanceof SourceError))
    .sort((a, b) => a.released.localeCompare(b.released));
  const problems = read.filter((version): version is SourceError => version instanceof SourceError);
  for (const [i, version] of versions.entries()) {
    const before = versions[i - 1];
    if (before && version.release === before.release) {
      const older = before.written < version.written ? before : version;
      problems.push(
        new SourceError(
          older.file,
          older.lines.release,
          `${before.file} and ${version.file} were both first published by ${version.release}, so the words of this one, the older, were never in force.`,
          "remove this file, or record the release that first published these words.",
        ),
      );
    }
  }
  return { versions, problems };
}
