// The minifiers' worker thread (lib/minify.ts): a worker that stops fails what it was given, and the next text starts a new one.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MinifierWorker } from "../lib/minify.ts";

test(
  "a minifier worker that stops fails the texts it had instead of leaving them waiting, and the next text starts a new worker",
  { timeout: 10_000 },
  async () => {
    const minifier = new MinifierWorker();
    assert.equal(await minifier.minify("html", "<p>  a  </p>"), "<p>a</p>");
    const waiting = minifier.minify("html", `<p>${"  word".repeat(10_000)}</p>`);
    await minifier.start().terminate();
    await assert.rejects(waiting, /the minifier's worker thread stopped \(exit code 1\)/);
    assert.equal(await minifier.minify("css", "p { color : red ; }"), "p{color:red}");
  },
);
