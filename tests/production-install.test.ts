// What a slim container stage or a NODE_ENV=production build does: install
// only package.json's dependencies and build. Every package the build imports
// must be declared there, and the result must be the full install's, byte for
// byte. The install is what `npm ci --omit=dev` lays out: package-lock.json's
// packages that are not marked dev, each linked from this project's
// node_modules (hard links: no network, no npm run, no bytes copied). The
// build starts with this project's image and font renditions (encoding them
// again costs seconds and proves nothing about packages), so the test also
// imports every package the build's code and its worker import, from the
// production install.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, cp, link, mkdir, mkdtemp, readFile, readdir, readlink, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { sharedBuild } from "./helpers/build.ts";
import { commitAll, gitInit } from "../scripts/harness/project.ts";

// .dockerignore's patterns, of the two forms it uses: a path from the context's root, and **/name for a name at any depth.
const ignored = readFileSync(".dockerignore", "utf8")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith("#"));
/** Whether Docker leaves `path` (relative to the context's root) out of the build context. */
function leftOut(path: string): boolean {
  const segments = path.split(/[\\/]/);
  return ignored.some((pattern) =>
    pattern.startsWith("**/")
      ? segments.includes(pattern.slice(3))
      : segments.slice(0, pattern.split("/").length).join("/") === pattern,
  );
}

async function files(folder: string): Promise<Map<string, Buffer>> {
  const entries = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  return new Map(
    await Promise.all(
      entries.map(
        async (e) =>
          [join(e.parentPath, e.name).slice(folder.length), await readFile(join(e.parentPath, e.name))] as const,
      ),
    ),
  );
}

/** A package's files linked into `target`, without the packages nested in it: the lock file lists those on their own. */
async function linkPackage(source: string, target: string): Promise<void> {
  await mkdir(target, { recursive: true });
  for (const entry of await readdir(source, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const [from, to] = [join(source, entry.name), join(target, entry.name)];
    if (entry.isDirectory()) await linkPackage(from, to);
    else if (entry.isSymbolicLink()) await symlink(await readlink(from), to);
    // A copy where the temporary folder is on another file system.
    else
      await link(from, to).catch((error: NodeJS.ErrnoException) =>
        error.code === "EXDEV" ? copyFile(from, to) : Promise.reject(error),
      );
  }
}

/** The folders `npm ci --omit=dev` installs: the lock file's packages not marked dev (and, of optional ones, those this platform got). */
function productionPackages(): string[] {
  const { packages } = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
    packages: Record<string, { dev?: boolean; optional?: boolean }>;
  };
  return Object.entries(packages)
    .filter(([path, entry]) => path.startsWith("node_modules/") && !entry.dev && (!entry.optional || existsSync(path)))
    .map(([path]) => path);
}

test("the packages of a production-only install (npm ci --omit=dev) build the same bytes as a full install", async () => {
  // The image builds the policy's history from git, so Docker's context must hold .git.
  assert.ok(!leftOut(".git"), ".dockerignore leaves out .git: the image's build would have no history");
  assert.ok(leftOut(".ci/node-24/node_modules"), ".dockerignore sends CI's Node 24 packages to Docker");
  assert.match(
    readFileSync("Dockerfile", "utf8"),
    /apt-get install[^\n]*\bgit\b[\s\S]*RUN npm run build/,
    "the Dockerfile's build stage installs no git before it builds",
  );
  const copy = await mkdtemp(join(tmpdir(), "privacy-production-"));
  // This checkout's .git may be shallow: the copy gets a repository of its own, as the shared build does.
  await cp(".", copy, {
    recursive: true,
    filter: (source) => source === "." || (!leftOut(source) && source.split(/[\\/]/)[0] !== ".git"),
  });
  commitAll(gitInit(copy), "The sources");
  const packages = productionPackages();
  assert.ok(packages.includes("node_modules/@11ty/eleventy"));
  for (const path of packages) {
    assert.ok(existsSync(path), `${path} is in the lock file but not installed here: run npm ci`);
    await linkPackage(path, join(copy, path));
  }
  const installed = await readdir(join(copy, "node_modules"));
  assert.ok(
    !installed.includes("typescript") && !installed.includes("puppeteer-core"),
    "dev dependencies were installed",
  );
  // The full install's build; the copy starts with the renditions builds made here, where there are any.
  const expected = await files((await sharedBuild()).folder);
  for (const made of ["images", "fonts"].filter((folder) => existsSync(join(".cache", folder))))
    await cp(join(".cache", made), join(copy, ".cache", made), { recursive: true });

  const production = spawnSync("npm", ["run", "build"], { cwd: copy, encoding: "utf8" });
  assert.equal(production.status, 0, `npm run build failed after a production install:\n${production.stderr}`);

  // Every package the build's code imports (type-only imports are stripped), also those it loads only on a cold cache (sharp, the image plugin, subset-font).
  const code = [
    ".eleventy.ts",
    "scripts/build.ts",
    ...(await readdir(join(copy, "lib"), { recursive: true }))
      .filter((file) => /\.(ts|js)$/.test(file) && !file.startsWith("preview"))
      .map((file) => join("lib", file)),
  ];
  const sources = await Promise.all(code.map((file) => readFile(join(copy, file), "utf8")));
  const specifiers = new Set(
    sources.flatMap((source) =>
      [
        ...source.replace(/^import type [^;]*;/gm, "").matchAll(/(?:\bfrom|\bimport\(|\brequire\()\s*"([^".][^"]*)"/g),
      ].map(([, specifier]) => specifier!),
    ),
  );
  const packagesImported = [...specifiers].filter((specifier) => !specifier.startsWith("node:"));
  for (const expected of [
    "@11ty/eleventy",
    "@11ty/eleventy-img",
    "sharp",
    "subset-font",
    "html-minifier-terser",
    "clean-css",
  ])
    assert.ok(packagesImported.includes(expected), `the build does not import ${expected}`);
  const load = spawnSync(
    process.execPath,
    ["--input-type=module", "-e", `for (const name of ${JSON.stringify(packagesImported)}) await import(name);`],
    { cwd: copy, encoding: "utf8" },
  );
  assert.equal(load.status, 0, `a package the build imports is missing from the production install:\n${load.stderr}`);

  const built = await files(join(copy, "public"));
  assert.deepEqual([...built.keys()].sort(), [...expected.keys()].sort());
  for (const [path, bytes] of expected) assert.ok(bytes.equals(built.get(path)!), `${path} differs`);
});
