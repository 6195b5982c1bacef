// `npm start` (Eleventy's own dev server, --incremental) and `npm run serve`,
// as a maintainer uses them: an edit is served, a mistake is reported on its
// line and the page stays, the fix is served; the build served as deployed.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { securityHeaders } from "../lib/security-policy.ts";
import { loadSite } from "../lib/site.ts";
import { copyProject, type Project } from "./helpers/project.ts";

/** `npm <args>` in the project, in a process group of its own that ends with this process; its output so far, and where it serves. */
function server(project: Project, args: string[]) {
  const child = spawn("npm", args, { cwd: project.root, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  // Ended, with a code or by a signal, it needs no stopping.
  const stop = () => child.exitCode ?? child.signalCode ?? process.kill(-child.pid!, "SIGTERM");
  process.once("exit", stop);
  let log = "";
  // What each `until` waits for, looked at again on each output and at the end.
  const waiting = new Set<() => void>();
  const look = () => waiting.forEach((check) => check());
  child.stdout.on("data", (chunk) => [(log += chunk), look()]);
  child.stderr.on("data", (chunk) => [(log += chunk), look()]);
  child.on("exit", look);
  /** Waits until the output from `from` on matches `pattern`, and gives the match. */
  const until = (pattern: RegExp, from = 0) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const found = log.slice(from).match(pattern);
        if (found) resolve(found);
        else if (child.exitCode !== null) reject(new Error(`ended without ${pattern}: ${log}`));
        else return;
        waiting.delete(check);
      };
      waiting.add(check);
      check();
    });
  /** Writes `text` as the project's policy, and waits for the dev server's next build to end, with its log. */
  const save = async (text: string) => {
    const from = log.length;
    project.write("src/privacy.md", text);
    await until(/Wrote \d+ files? /, from);
    return log.slice(from);
  };
  return { until, save, stop, log: () => log };
}

test("npm start -- --incremental: an edit is served, a dead #fragment is reported on its line, and the fix is served", async () => {
  const project = copyProject({ git: true });
  const preview = server(project, ["start", "--", "--port=0", "--incremental"]);
  try {
    const [, url] = await preview.until(/Server at (http:\/\/localhost:\d+)\//);
    const page = () => fetch(`${url}/privacy/`).then((response) => response.text());
    const first = await page();
    assert.ok(!/analytics\./.test(first), "the preview counts visits");
    assert.ok(/connect-src (&#39;|')self/.test(first), "live reload cannot connect");
    const policy = project.read("src/privacy.md");
    const heading = policy.split("\n").findIndex((line) => line.startsWith("## ")) + 1;
    await preview.save(policy.replace(/^## .*$/m, "$&\n\nA new sentence."));
    assert.match(await page(), /A new sentence\./);
    const failed = await preview.save(policy.replace(/^## .*$/m, "$&\n\nA new sentence, [see the log](#nowhere)."));
    assert.match(failed, new RegExp(`src/privacy\\.md:${heading + 2}: .*MD051`));
    assert.doesNotMatch(failed, /^\[11ty\]\s+at /m, "a stack trace");
    assert.match(failed, /fix the mistake above and save\./);
    assert.match(await page(), /A new sentence\./, "the last good page is gone");
    await preview.save(policy.replace(/^## .*$/m, "$&\n\nA new sentence, fixed."));
    assert.match(await page(), /A new sentence, fixed\./);
  } finally {
    preview.stop();
  }
});

// Eleventy's dev server ends when its first build fails, as it documents: the message says to start it again.
test("npm start with a mistake in the first build: the mistake on its line, and start it again", async () => {
  const project = copyProject();
  project.write("src/privacy.md", project.read("src/privacy.md").replace(/^## /m, "#### "));
  const preview = server(project, ["start", "--", "--port=0"]);
  await assert.rejects(preview.until(/Server at/), /ended without/, "the server started");
  assert.match(preview.log(), /src\/privacy\.md:\d+: .*MD001[^]*fix the mistake above and run `npm start` again\./);
});

test("npm run serve: the build on this machine with nginx's headers, and a policy more that keeps Matomo's tracker out", async () => {
  const project = copyProject();
  assert.equal((await project.npm("build")).code, 0);
  const serve = server(project, ["run", "serve", "--", "--port", "0"]);
  try {
    const [, url] = await serve.until(/at (http:\/\/localhost:\d+\/privacy\/)/);
    const response = await fetch(url!);
    assert.equal(await response.text(), project.read("public/privacy/index.html"));
    const headers = securityHeaders(loadSite("src/_data/site.json"));
    assert.equal(
      response.headers.get("content-security-policy"),
      `${headers["Content-Security-Policy"]}, script-src 'self'`,
    );
    assert.equal(response.headers.get("x-content-type-options"), headers["X-Content-Type-Options"]);
    assert.equal((await fetch(url!.replace(/\/$/, ""), { redirect: "manual" })).headers.get("location"), "/privacy/");
    assert.equal((await fetch(`${url}nothing`)).status, 404);
  } finally {
    serve.stop();
  }
});
