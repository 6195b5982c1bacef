// What the history keeps between builds (the versions read from git, the
// earlier versions' pages as written) is named by a hash of everything it
// was made from, so that no build uses anything stale. These are the hashes
// of what a build shares beyond the page's own texts: the project's code and
// dependencies, and its templates, data, assets and other pages.
//
// Read synchronously: for about seventy small files, fs/promises costs four
// times the CPU (20 ms more per build), and git runs meanwhile.
import { readdirSync, readFileSync, type Dirent } from "node:fs";
import { join, resolve } from "node:path";
import { hashOf } from "../build-cache.ts";
import type { Directories } from "../eleventy.ts";
import { projectRoot } from "../npm-scripts.ts";

export interface BuildFingerprint {
  /** The code that reads and renders versions: ours, its dependencies' versions, and Node's (its dates' locale data). */
  code: string;
  /** `code`, and everything a page is laid out with: the build's other files and the settings it reads from the environment. */
  site: string;
}

/** Each file under `folder` (node_modules left out, and the files in `leaveOut`), by its path and content, in a stable order. */
function folderParts(folder: string, leaveOut: ReadonlySet<string>): (string | Buffer)[] {
  const entries: Dirent[] = readdirSync(folder, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.split(/[\\/]/).includes("node_modules") && !leaveOut.has(resolve(file)))
    .sort();
  const contents = files.map((file) => readFileSync(file));
  // Each name with its content's length: no two sets of files hash alike.
  return files.flatMap((file, i) => [`\0${file.slice(folder.length)}\0${contents[i]!.length}\0`, contents[i]!]);
}

/** The build's fingerprint, leaving out the pages whose history is read (their texts are part of each key). */
export function buildFingerprint(directories: Directories, historyPages: string[]): BuildFingerprint {
  const root = projectRoot();
  const lib = folderParts(join(root, "lib"), new Set());
  const [config, lock] = [".eleventy.ts", "package-lock.json"].map((name) => readFileSync(join(root, name)));
  const code = hashOf(...lib, `\0.eleventy.ts\0${config!.length}\0`, config!, `\0package-lock.json\0${lock!.length}\0`, lock!, process.version);
  const leaveOut = new Set(historyPages.map((file) => resolve(file)));
  // The data and includes folders may lie inside the input folder: each is read once.
  const folders = [...new Set([directories.input, directories.includes, directories.data].map((folder) => resolve(folder)))].filter(
    (folder, _, all) => !all.some((other) => other !== folder && folder.startsWith(other + "/")),
  );
  const files = folders.map((folder) => folderParts(folder, leaveOut));
  const settings = ["ELEVENTY_RUN_MODE", "PREVIEW_HOST"].map((name) => `${name}=${process.env[name] ?? ""}`);
  return { code, site: hashOf(code, ...files.flatMap((parts, i) => [`\0${i}\0`, ...parts]), ...settings) };
}
