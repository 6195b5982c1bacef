// The release that first published an earlier version's words, checked offline
// as its text is. Beside <name>.md, <name>.release holds what
// `git cat-file --batch` printed, in a clone of the page's repository, for
// (docs/history.md has the command):
// 1. the release: its tag object, or the commit a lightweight tag names;
// 2. the commits on the paths from that commit down to the words' commit
//    (`git rev-list --ancestry-path`), then the words' commit;
// 3. where the repository had a release before it, the commit that one names.
// git names an object by a hash of its bytes, so the build proves that the
// release contains the words (parents lead from it to their commit), that the
// release before it was committed before the words (so it cannot hold them),
// and the dates recorded beside them, read from the objects themselves.
import { objectId, parseBatch, type GitObject } from "./git.ts";

/** What an earlier version's front matter says of its words and of the release that published them. */
export interface ReleaseRecord {
  /** The words' commit. */
  commit: string;
  /** YYYY-MM-DD: the words' commit's author date. */
  written: string;
  /** The release's tag. */
  release: string;
  /** YYYY-MM-DD: the tag's date (a lightweight tag's is its commit's). */
  released: string;
}

/** A mistake in the record: the key whose line it is on, and what is wrong. */
export interface ReleaseProblem {
  key: keyof ReleaseRecord;
  problem: string;
}

/** The values of a header of a commit or tag object ("parent", "committer", ...), in order. */
function header(object: GitObject, name: string): string[] {
  const text = object.content.toString("utf8");
  return text
    .slice(0, text.indexOf("\n\n"))
    .split("\n")
    .filter((line) => line.startsWith(`${name} `))
    .map((line) => line.slice(name.length + 1));
}

/** "Name <email> 1743067614 +0100": the instant, and the day where its author was, as git's %as shows it. */
function signature(value = ""): { time: number; day: string } {
  const [, seconds, sign, hours, minutes] = /(\d+) ([+-])(\d\d)(\d\d)$/.exec(value) ?? [];
  const time = Number(seconds);
  const offset = (sign === "-" ? -1 : 1) * (Number(hours) * 3600 + Number(minutes) * 60);
  return { time, day: new Date((time + offset) * 1000).toISOString().slice(0, 10) };
}

const short = (id: string) => id.slice(0, 7);

/** Whether the parents of `commits`, followed from `from`, lead to `to`. */
function reaches(commits: Map<string, GitObject>, from: string, to: string): boolean {
  const next = [from];
  const seen = new Set<string>();
  for (let id = next.pop(); id !== undefined; id = next.pop()) {
    if (id === to) return true;
    const commit = commits.get(id);
    if (commit && !seen.has(id)) next.push(...header(commit, "parent"));
    seen.add(id);
  }
  return false;
}

/** What is wrong with `record` against the objects in `proof`; nothing when the proof holds it. */
export function releaseProblem(proof: Buffer, record: ReleaseRecord): ReleaseProblem | undefined {
  let objects: GitObject[];
  try {
    objects = parseBatch(proof);
  } catch (error) {
    return {
      key: "release",
      problem: `the .release file is not what git cat-file --batch prints: ${(error as Error).message}`,
    };
  }
  const altered = objects.find((object) => object.type === "missing" || objectId(object) !== object.id);
  if (altered)
    return {
      key: "release",
      problem: `the .release file's object ${altered.id} is ${altered.type === "missing" ? "missing: git had no such object" : "not the one git names so: its bytes were changed"}.`,
    };
  const wordsAt = objects.findIndex((object, i) => i > 0 && object.id === record.commit);
  const [release, words, previous] = [objects[0], objects[wordsAt], objects[wordsAt + 1]];
  if (!release || !words)
    return {
      key: "commit",
      problem: `the .release file does not hold commit ${short(record.commit)}, the words' commit.`,
    };

  const written = signature(header(words, "author")[0]).day;
  if (written !== record.written)
    return {
      key: "written",
      problem: `"written" is ${record.written}, but commit ${short(words.id)} was written on ${written} (its author date).`,
    };
  const tagged = release.type === "tag";
  const name = tagged ? header(release, "tag")[0] : record.release;
  if (name !== record.release)
    return { key: "release", problem: `"release" is ${record.release}, but the tag in the .release file is ${name}.` };
  const released = signature(header(release, tagged ? "tagger" : "committer")[0]);
  if (released.day !== record.released)
    return {
      key: "released",
      problem: `"released" is ${record.released}, but ${record.release} is dated ${released.day}.`,
    };

  const commits = new Map(objects.slice(1, wordsAt + 1).map((object) => [object.id, object]));
  if (!reaches(commits, tagged ? header(release, "object")[0]! : release.id, words.id)) {
    return {
      key: "release",
      problem: `${record.release} does not contain commit ${short(words.id)}: no chain of parents in the .release file leads from it to the words.`,
    };
  }
  if (previous) {
    const before = signature(header(previous, "committer")[0]);
    if (before.time >= signature(header(words, "committer")[0]).time) {
      return {
        key: "release",
        problem: `the release before ${record.release} (commit ${short(previous.id)}, of ${before.day}) was committed after the words, so it may hold them: ${record.release} may not be the first release to publish them.`,
      };
    }
  }
  return undefined;
}
