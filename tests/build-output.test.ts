// The build's promises about its output: reproducible, and never stale.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { build } from "../lib/build.ts";
import { isoDate } from "../lib/dates.ts";
import { npmScriptArguments } from "../lib/npm-scripts.ts";
import { readPolicy } from "./helpers/policy.ts";
import { gitProject } from "../scripts/harness/project.ts";

/** Every file of a folder with its bytes, by path. */
async function contents(folder: string): Promise<Map<string, Buffer>> {
  const files = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  const entries = await Promise.all(
    files.map(async (file) => {
      const path = join(file.parentPath, file.name);
      return [path.slice(folder.length), await readFile(path)] as const;
    }),
  );
  return new Map(entries.sort(([a], [b]) => a.localeCompare(b)));
}

test("two builds are byte-identical, whatever the time zone, clock or working folder", async () => {
  // The sources with their history in git, as the production build reads them.
  const { input } = await gitProject();
  const first = join(await mkdtemp(join(tmpdir(), "privacy-a-")), "public");
  await build({ input, output: first });

  const second = join(await mkdtemp(join(tmpdir(), "privacy-b-")), "public");
  const run = spawnSync(process.execPath, [...npmScriptArguments("build"), "--input", input, "--output", second], {
    cwd: tmpdir(),
    encoding: "utf8",
    // A zone where it is already tomorrow in UTC terms for most of the day.
    env: { ...process.env, TZ: "Pacific/Kiritimati" },
  });
  assert.equal(run.status, 0, run.stderr);

  const [a, b] = [await contents(first), await contents(second)];
  assert.ok(a.size >= 4, `only ${a.size} files built`);
  assert.deepEqual([...b.keys()], [...a.keys()]);
  for (const [path, bytes] of a) assert.ok(bytes.equals(b.get(path)!), `${path} differs`);

  // Nothing reads the clock: the only dates in the output (page, history and feed) are the policy's own and its earlier versions' (written and released).
  const dates = [...a.values()].flatMap((bytes) => bytes.toString().match(/\b20\d\d-\d\d-\d\d\b/g) ?? []);
  const earlier = readdirSync("earlier-versions/privacy")
    .filter((name) => name.endsWith(".md"))
    .flatMap((name) =>
      [...readFileSync(join("earlier-versions/privacy", name), "utf8").matchAll(/^(?:written|released): (\S+)$/gm)].map(
        (match) => match[1]!,
      ),
    );
  assert.deepEqual([...new Set(dates)].sort(), [...new Set([...earlier, isoDate(readPolicy().data.updated!)])].sort());
});

test("a page removed from the sources does not linger in the output", async () => {
  const project = await mkdtemp(join(tmpdir(), "privacy-removed-"));
  await cp("src", join(project, "src"), { recursive: true });
  await cp("_includes", join(project, "_includes"), { recursive: true });
  const extra = join(project, "src", "extra.md");
  await writeFile(extra, "---\ntitle: Extra\n---\nA page that will be removed.\n");
  const output = join(project, "public");

  await build({ input: join(project, "src"), output });
  assert.ok(existsSync(join(output, "extra", "index.html")));
  await rm(extra);
  await build({ input: join(project, "src"), output });
  assert.equal(existsSync(join(output, "extra")), false);
  assert.ok(existsSync(join(output, "privacy", "index.html")));
});
