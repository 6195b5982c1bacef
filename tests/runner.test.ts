// `npm test`'s runner (scripts/test.ts), run on one suite of its own: the
// suite passes, a suite of a server is left out with --node-only, and every
// temporary folder it made is gone after.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

test("npm test runs the suites given (with --node-only, not those of browsers and servers), and leaves no temporary folder behind", async () => {
  const temporary = await mkdtemp(join(tmpdir(), "privacy-runner-"));
  try {
    // The text cache's tests make temporary projects and leave them to the runner.
    // Without the variable that tells node:test it runs inside a test, so that it runs files again.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const run = spawn(
      process.execPath,
      ["scripts/test.ts", "tests/nginx.test.ts", "tests/build-cache.test.ts", "--node-only", "--test-reporter=tap"],
      {
        env: { ...env, TMPDIR: temporary },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    run.stdout.on("data", (chunk) => (output += chunk));
    run.stderr.on("data", (chunk) => (output += chunk));
    const [code] = await once(run, "exit");
    assert.equal(code, 0, output);
    assert.match(output, /^# pass [1-9]/m);
    assert.match(output, /the text cache/);
    assert.doesNotMatch(output, /nginx/, "--node-only ran the nginx suite");
    assert.match(output, /^# fail 0$/m);
    assert.deepEqual(await readdir(temporary), []);
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
});
