// Builds the site into a temporary folder (never the working public/) and
// parses its pages with a real HTML parser.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, readdir, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gitProject } from "../../scripts/harness/project.ts";

export interface BuiltSite {
  folder: string;
  read(path: string): Promise<string>;
  document(path: string): Promise<Document>;
}

function builtSite(folder: string): BuiltSite {
  const read = (path: string) => readFile(join(folder, path), "utf8");
  return { folder, read, document: async (path) => (await import("linkedom")).parseHTML(await read(path)).document };
}

export async function buildSite(input = "src"): Promise<BuiltSite> {
  const parent = await mkdtemp(join(tmpdir(), "privacy-test-"));
  await chmod(parent, 0o755); // for nginx's unprivileged worker
  const folder = join(parent, "public");
  // Eleventy, slow to load, only where a build runs: most test files read the shared build, made already.
  const { build } = await import("../../lib/build.ts");
  await build({ input, output: folder });
  return builtSite(folder);
}

/** A hash of everything a build of the project's own sources reads. */
function sourcesHash(): string {
  const hash = createHash("sha256");
  for (const folder of ["src", "_includes", "earlier-versions", "lib"]) {
    for (const file of readdirSync(folder, { recursive: true, withFileTypes: true }).filter((entry) =>
      entry.isFile(),
    )) {
      const path = join(file.parentPath, file.name);
      hash.update(path).update(readFileSync(path));
    }
  }
  for (const file of [".eleventy.ts", "package-lock.json"]) hash.update(file).update(readFileSync(file));
  return hash.digest("hex").slice(0, 16);
}

// Outside npm test's temporary folder, which goes when the run ends (scripts/test.ts names it).
const sharedParent = process.env.PRIVACY_TESTS_SHARED ?? join(tmpdir(), "privacy-tests-shared");

/**
 * The project's own sources built once for every test file that only reads
 * the output: kept by a hash of the sources, so each test process, and each
 * run of npm test, reuses it until a source changes. Older builds go. The
 * sources are built from a git repository of their own, with one commit, so
 * the output is the same in a full or a shallow clone of the project.
 */
export async function sharedBuild(): Promise<BuiltSite> {
  const name = sourcesHash();
  const folder = join(sharedParent, name);
  if (!existsSync(folder)) {
    const mine = (await buildSite((await gitProject()).input)).folder;
    await mkdir(sharedParent, { recursive: true, mode: 0o755 });
    // Another test process may have finished first: then its build is the one to use.
    await rename(mine, folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
    for (const old of await readdir(sharedParent)) {
      if (old !== name) await rm(join(sharedParent, old), { recursive: true, force: true });
    }
  }
  return builtSite(folder);
}

/** Text as a reader meets it: runs of white space made one space. */
export const normalText = (text: string | null | undefined) => (text ?? "").replace(/\s+/g, " ").trim();

/**
 * A build's stderr without Eleventy's timing notices: its quiet mode misses those of the configuration's filters
 * (11ty 3.1.8), which a busy machine can slow past their threshold.
 */
export const withoutTimingNotices = (stderr: string) => stderr.replace(/^\[11ty\] Benchmark .*\n/gm, "");
