// `npm run serve`: a build as deployed, on this machine only, without the tracker.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { securityHeaders } from "../lib/security-policy.ts";
import { loadSite } from "../lib/site.ts";
import { sharedBuild } from "./helpers/build.ts";
import { eventually } from "./helpers/eventually.ts";

test("npm run serve serves a build on localhost with the deployment's headers, and a second policy that keeps Matomo's tracker out", async () => {
  const { folder } = await sharedBuild();
  const server = spawn("npm", ["run", "serve", "--", "--port", "0", "--folder", folder], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  server.stdout.on("data", (chunk) => (log += chunk));
  try {
    await eventually(() => /localhost:\d+\/privacy\//.test(log), "the server is up", 20);
    const port = Number(/localhost:(\d+)\/privacy\//.exec(log)![1]);
    const page = await fetch(`http://127.0.0.1:${port}/privacy/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<h1/);
    const expected = securityHeaders(loadSite());
    assert.equal(
      page.headers.get("content-security-policy"),
      `${expected["Content-Security-Policy"]}, script-src 'self'`,
    );
    assert.equal(page.headers.get("cross-origin-opener-policy"), expected["Cross-Origin-Opener-Policy"]);
    assert.equal(
      (await fetch(`http://127.0.0.1:${port}/privacy`, { redirect: "manual" })).headers.get("location"),
      "/privacy/",
    );
    assert.equal((await fetch(`http://127.0.0.1:${port}/no/such/page`)).status, 404);
    // An address that cannot be decoded is a bad request, not a crash of the server.
    assert.equal((await fetch(`http://127.0.0.1:${port}/privacy/%E0%A4%A`)).status, 400);
    assert.equal((await fetch(`http://127.0.0.1:${port}/privacy/`)).status, 200);
  } finally {
    process.kill(-server.pid!, "SIGTERM");
  }
});
