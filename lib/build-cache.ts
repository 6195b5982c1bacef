// .cache/: what one build made that the next can reuse (the font subset,
// image renditions, minified pages and stylesheet), each under a name made
// from a hash of its inputs, so nothing stale is used. The minified texts,
// one a page, are kept bounded (TextCache).
import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

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

/**
 * A folder of texts kept by the hash of what each was made from, which a
 * build adds to and reads. A hit counts as a use; after a build, `prune`
 * drops the least recently used beyond a bound, so the folder stays small
 * however many projects (the tests' temporary ones, the benchmark's sites)
 * build through it.
 */
export class TextCache {
  #used = new Set<string>();

  readonly folder: string;

  constructor(folder: string) {
    this.folder = folder;
  }

  /** The text kept for `key`, or undefined. */
  async read(key: string): Promise<string | undefined> {
    const file = join(this.folder, key);
    const text = await readFile(file, "utf8").catch(() => undefined);
    if (text !== undefined) {
      this.#used.add(key);
      const now = new Date();
      await utimes(file, now, now).catch(() => undefined);
    }
    return text;
  }

  async write(key: string, text: string): Promise<void> {
    this.#used.add(key);
    await writeAtomically(join(this.folder, key), text);
  }

  /** Keeps what this build used, and of the rest the most recently used, up to `atLeast` entries or twice this build's. */
  async prune(atLeast = 200): Promise<void> {
    const used = this.#used;
    this.#used = new Set();
    const keep = Math.max(atLeast, 2 * used.size);
    const names = await readdir(this.folder).catch(() => [] as string[]);
    if (names.length <= keep) return;
    const others = await Promise.all(
      names
        .filter((name) => !used.has(name))
        .map(async (name) => ({
          name,
          lastUsed: (await stat(join(this.folder, name)).catch(() => undefined))?.mtimeMs ?? 0,
        })),
    );
    others.sort((a, b) => b.lastUsed - a.lastUsed);
    await Promise.all(
      others.slice(Math.max(0, keep - used.size)).map(({ name }) => rm(join(this.folder, name), { force: true })),
    );
  }
}
