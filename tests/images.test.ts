// lib/images.ts: the renditions kept in .cache/images/ between builds, from
// an image the test makes itself.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { test } from "node:test";
import sharp from "sharp";
import { renditions } from "../lib/images.ts";

test("a rendition another build has half written is made again whole, not taken for done", async () => {
  const folder = await mkdtemp(join(tmpdir(), "privacy-images-"));
  const image = join(folder, "square.png");
  await sharp({ create: { width: 40, height: 40, channels: 3, background: "#2b3035" } })
    .png()
    .toFile(image);
  const request = { widths: [20] };
  const whole = await renditions(image, request, join(folder, "first"));

  const cache = join(folder, "second");
  await mkdir(cache);
  // What a build making the same renditions leaves mid-way: the start of each file, no manifest yet.
  const files = Object.values(whole).flat();
  assert.ok(files.length >= 2, "no AVIF and WebP renditions were made");
  for (const rendition of files)
    await writeFile(join(cache, basename(rendition.outputPath)), (await readFile(rendition.outputPath)).subarray(0, 8));

  const made = await renditions(image, request, cache);
  for (const [format, list] of Object.entries(whole)) {
    list.forEach((rendition, i) =>
      assert.ok(
        readFileSync(made[format]![i]!.outputPath).equals(readFileSync(rendition.outputPath)),
        `${basename(rendition.outputPath)} is not whole`,
      ),
    );
  }
  assert.deepEqual(
    readdirSync(cache).filter((name) => name.startsWith("staging-")),
    [],
    "a staging folder was left in the cache",
  );
});
