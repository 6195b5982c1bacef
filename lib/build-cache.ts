// .cache/: what one build made that the next can reuse (the font subset,
// image renditions, minified pages and stylesheet), each under a name made
// from a hash of its inputs, or checked against one, so nothing stale is used.
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

export const cacheFolder = ".cache";

export const hashOf = (...parts: (string | Buffer)[]) => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest("hex").slice(0, 16);
};

/** Writes `file` aside and renames it into place, so a build running beside this one never reads half of it. */
export async function writeAtomically(file: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const aside = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(aside, content);
  await rename(aside, file);
}

/** The text kept in `file` for `key`, or undefined where there is none or it was made from something else. */
export async function readCached(file: string, key: string): Promise<string | undefined> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined || !text.startsWith(`${key}\n`)) return undefined;
  return text.slice(key.length + 1);
}

/** Keeps `text` in `file`, marked with the `key` it was made from. */
export const writeCached = (file: string, key: string, text: string) => writeAtomically(file, `${key}\n${text}`);
