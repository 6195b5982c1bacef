import assert from "node:assert/strict";

/** Waits until `condition` holds, checking every 50 ms, for up to `seconds`. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  what: string,
  seconds = 5,
): Promise<void> {
  for (let waited = 0; waited < seconds * 1000; waited += 50) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`timed out waiting until ${what}`);
}
