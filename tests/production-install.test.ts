// What a slim container stage or a NODE_ENV=production build does: install
// only package.json's dependencies and build. Every package the build imports
// must be declared there, and the result must be the full install's, byte for
// byte. npm installs from its cache (--offline): the test never uses the network.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cp, mkdtemp, readFile, readdir } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { npmBuildArguments } from "../lib/build.ts";

/** The Docker build context: the project less what .dockerignore leaves out. */
const ignored = new Set(readFileSync(".dockerignore", "utf8").split("\n").map((line) => line.trim()).filter(Boolean));

async function files(folder: string): Promise<Map<string, Buffer>> {
  const entries = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  return new Map(await Promise.all(entries.map(async (e) => [join(e.parentPath, e.name).slice(folder.length), await readFile(join(e.parentPath, e.name))] as const)));
}

test("a production-only install (npm ci --omit=dev) builds the same bytes as a full install", async () => {
  const copy = await mkdtemp(join(tmpdir(), "privacy-production-"));
  await cp(".", copy, { recursive: true, filter: (source) => !ignored.has(source.split(/[\\/]/)[0]!) || source === "." });

  const install = spawnSync("npm", ["ci", "--omit=dev", "--offline", "--no-audit", "--no-fund"], { cwd: copy, encoding: "utf8" });
  assert.equal(install.status, 0, install.stderr);
  const installed = await readdir(join(copy, "node_modules"));
  assert.ok(!installed.includes("tsx") && !installed.includes("typescript"), "dev dependencies were installed");

  const production = spawnSync("npm", ["run", "build"], { cwd: copy, encoding: "utf8" });
  assert.equal(production.status, 0, `npm run build failed after a production install:\n${production.stderr}`);

  const full = join(await mkdtemp(join(tmpdir(), "privacy-full-")), "public");
  const reference = spawnSync(process.execPath, [...npmBuildArguments(), "--output", full], { encoding: "utf8" });
  assert.equal(reference.status, 0, reference.stderr);

  const [built, expected] = [await files(join(copy, "public")), await files(full)];
  assert.deepEqual([...built.keys()].sort(), [...expected.keys()].sort());
  for (const [path, bytes] of expected) assert.ok(bytes.equals(built.get(path)!), `${path} differs`);
});
