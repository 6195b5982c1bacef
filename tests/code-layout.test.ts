// Where code lives: the build (lib/) and the commands (scripts/) stand on their own, and the tests use them, never the other way round.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

/** Every TypeScript and JavaScript file under `folder`. */
const codeIn = (folder: string) =>
  readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((name) => /\.(ts|mjs|js)$/.test(name))
    .map((name) => join(folder, name));

const importFromTests = /\bfrom\s+["'][^"']*\btests\//;

test("nothing in lib/ or scripts/ imports from tests/", () => {
  assert.ok(
    importFromTests.test('import { x } from "../tests/helpers/browser.ts";'),
    "the check does not see an import from tests/",
  );
  assert.ok(!importFromTests.test('import { x } from "./harness/browser.ts";'));
  const offenders = [...codeIn("lib"), ...codeIn("scripts")].filter((file) =>
    importFromTests.test(readFileSync(file, "utf8")),
  );
  assert.deepEqual(offenders, []);
});
