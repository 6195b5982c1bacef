// Versions a page had before this repository existed: earlier-versions/<page>/
// holds one file per version, the text exactly as another repository had it
// at a commit (the portal's, for the privacy policy), below a front matter that
// says where it came from and when it took effect:
//
//   ---
//   date: 2024-04-22                              # the day it took effect
//   repository: ScilifelabDataCentre/genome-portal
//   commit: 7e3b1ff8a24ba308819c2e00079861dd72978c0d
//   path: hugo/content/privacy/_index.md
//   blob: 6cf7bcd41cc8b6c059d7a2085f619819e4fe4e96 # git's id of the text below
//   ---
//   (the text, byte for byte)
//
// git names a text by a hash of its bytes (its blob id), so the build checks
// each text against "blob": a text edited by mistake is refused.
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import matter from "gray-matter";
import { isoDate } from "../dates.ts";
import { SourceError } from "../source-error.ts";
import { readSourceText } from "../source-text.ts";

export interface EarlierVersion {
  file: string;
  /** YYYY-MM-DD: the day it took effect, and its line in the file. */
  date: string;
  dateLine: number;
  /** The commit of the other repository that had it. */
  commit: string;
  text: string;
}

const keys = ["date", "repository", "commit", "path", "blob"] as const;

/** git's id of a text: the SHA-1 of "blob <length>\0" and its bytes. */
export function blobId(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** One file of earlier-versions/: the version, or what is wrong with it. */
async function readEarlierVersion(file: string): Promise<EarlierVersion | SourceError> {
  const source = await readSourceText(file);
  const lineOf = (key: string) => source.split("\n").findIndex((line) => line.startsWith(`${key}:`)) + 1 || 1;
  let data: Record<string, unknown>;
  let text: string;
  try {
    ({ data, content: text } = matter(source, { language: "yaml" }));
  } catch (error) {
    return new SourceError(file, 1, `the front matter is not valid YAML: ${(error as Error).message}.`, `write it as the other files in this folder have it: ${keys.join(", ")}.`);
  }
  const missing = keys.filter((key) => data[key] === undefined || data[key] === null);
  if (missing.length > 0) {
    return new SourceError(file, 1, `the front matter has no ${missing.map((key) => `"${key}"`).join(", ")}.`, `say where the text comes from and when it took effect, with ${keys.join(", ")}, as the other files in this folder do.`);
  }
  if (!(data.date instanceof Date) || Number.isNaN(data.date.getTime())) {
    return new SourceError(file, lineOf("date"), `"date" must be a real date, YYYY-MM-DD.`, "write the day this version took effect, such as 2024-04-22.");
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
  return { file, date: isoDate(data.date), dateLine: lineOf("date"), commit: String(data.commit), text };
}

/**
 * The versions in `folder` (none if there is no such folder), oldest first;
 * each file that is not as it should be is a SourceError in `problems`.
 */
export async function earlierVersions(folder: string): Promise<{ versions: EarlierVersion[]; problems: SourceError[] }> {
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  const read = await Promise.all(names.filter((name) => name.endsWith(".md")).map((name) => readEarlierVersion(join(folder, name))));
  const versions = read.filter((version): version is EarlierVersion => !(version instanceof SourceError)).sort((a, b) => a.date.localeCompare(b.date));
  const problems = read.filter((version): version is SourceError => version instanceof SourceError);
  for (const [i, version] of versions.entries()) {
    if (version.date === versions[i - 1]?.date) {
      problems.push(new SourceError(version.file, version.dateLine, `two earlier versions take effect on ${version.date}: ${versions[i - 1]!.file} and this one.`, "keep the one that was published last that day, or correct its date."));
    }
  }
  return { versions, problems };
}
