// .cache/'s minified texts: found again by what they were made from, and
// bounded however many projects build through the cache.
import assert from "node:assert/strict";
import { mkdtemp, readdir, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { TextCache } from "../lib/build-cache.ts";

const folder = () => mkdtemp(join(tmpdir(), "privacy-cache-"));

describe("the text cache", () => {
  test("gives back what was kept under a key, and nothing for another", async () => {
    const cache = new TextCache(await folder());
    await cache.write("a.html", "<p>a</p>");
    assert.equal(await cache.read("a.html"), "<p>a</p>");
    assert.equal(await cache.read("b.html"), undefined);
  });

  test("after a build, keeps what it used and the most recently used others, and drops the rest", async () => {
    const cache = new TextCache(await folder());
    for (const [i, name] of ["old-1", "old-2", "old-3", "recent"].entries()) {
      await cache.write(name, name);
      const when = new Date(Date.UTC(2030, 0, 1 + i));
      await utimes(join(cache.folder, name), when, when);
    }
    await cache.prune(100);
    // The next build reads one old entry and writes one new one.
    assert.equal(await cache.read("old-1"), "old-1");
    await cache.write("new", "new");
    // Room for twice what it used: the two it used, then the two most recently used others.
    await cache.prune(3);
    assert.deepEqual((await readdir(cache.folder)).sort(), ["new", "old-1", "old-3", "recent"]);
  });

  test("stays bounded through many builds of temporary projects", async () => {
    const cache = new TextCache(await folder());
    for (let build = 0; build < 40; build++) {
      for (const page of ["privacy", "404", "style"]) await cache.write(`${page}-${build}`, "text");
      await cache.prune(10);
    }
    const left = await readdir(cache.folder);
    assert.ok(left.length <= 10, `${left.length} entries kept`);
    assert.ok(left.includes("privacy-39") && left.includes("style-39"), "the last build's entries went");
  });
});
