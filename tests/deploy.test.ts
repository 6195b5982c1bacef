// The deployment files agree with the README and with each other.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { test } from "node:test";
import { readWorkflow, runSteps } from "./helpers/workflow.ts";

const readme = readFileSync("README.md", "utf8");
const dockerfile = readFileSync("Dockerfile", "utf8");
const nginxConf = readFileSync("deploy/nginx.conf", "utf8");

const commandsOf = (lines: string[]) =>
  lines.flatMap((line) => line.split("&&").map((command) => command.trim())).filter(Boolean);

test("the README opens with the quick start, and the workflow runs its set-up commands and npm commands the README shows", () => {
  const start = readme.indexOf("## Quick start");
  assert.ok(
    start !== -1 && readme.slice(0, start).split("\n").length < 10,
    "the README does not open with its quick start",
  );
  const quickStart = readme.slice(start, readme.indexOf("\n## ", start + 1));
  const lines = [...quickStart.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) => block[1]!.trim().split("\n"));
  const documented = commandsOf(lines.map((line) => line.replace(/\s+#.*$/, "")));
  assert.deepEqual(documented.slice(0, 4), ["npm ci", "npm run build", "npm test", "npm start"]);
  assert.ok(
    readme.slice(0, readme.split("\n").slice(0, 40).join("\n").length).includes("src/privacy.md"),
    "the first 40 lines do not say what to edit",
  );
  const run = commandsOf(runSteps(readWorkflow("publish_image.yml")));
  // npm ci with install scripts blocked, as npm 12 blocks unreviewed ones: the same install.
  const withoutFlags = (command: string) => command.replace(/ --ignore-scripts$/, "");
  for (const command of documented.slice(0, 3))
    assert.ok(run.map(withoutFlags).includes(command), `the workflow does not run ${command}`);
  for (const command of run.filter((c) => c.startsWith("npm")).map(withoutFlags))
    assert.ok(
      documented.includes(command) || readme.includes(`| \`${command}\` |`),
      `the README does not show ${command}`,
    );
});

test("the image serves public/ with deploy/'s configuration, where nginx looks for it", () => {
  for (const [, source] of dockerfile.matchAll(/^COPY (?!--from)(\S+)/gm))
    assert.ok(existsSync(source!), `Dockerfile copies missing ${source}`);
  assert.match(dockerfile, /^COPY deploy\/nginx\.conf \/etc\/nginx\/conf\.d\/default\.conf$/m);
  // nginx reads a relative include from the folder of its main configuration, /etc/nginx.
  assert.match(nginxConf, /^\s*include security-headers\.conf;$/m);
  assert.match(dockerfile, /^COPY deploy\/security-headers\.conf \/etc\/nginx\/security-headers\.conf$/m);
  const root = /^\s*root (\S+);$/m.exec(nginxConf)?.[1];
  assert.match(dockerfile, new RegExp(`^COPY --from=build /app/public ${root}$`, "m"));
  const port = /^\s*listen (\d+);$/m.exec(nginxConf)?.[1];
  assert.match(dockerfile, new RegExp(`^EXPOSE ${port}$`, "m"));
  // Pinned by digest, as the portal pins the same image.
  assert.match(dockerfile, /^FROM nginxinc\/nginx-unprivileged:[\w.-]+@sha256:[0-9a-f]{64}$/m);
});

test("the image workflow tests, then builds the image from the whole history and pushes it to GHCR, on the portal's triggers", () => {
  const { on, env, jobs } = readWorkflow("publish_image.yml");
  assert.deepEqual(on.push, { branches: ["main"] });
  assert.deepEqual(on.release, { types: ["published"] });
  assert.ok(
    (on.workflow_dispatch?.inputs as Record<string, unknown> | undefined)?.docker_tag,
    "workflow_dispatch takes no tag",
  );
  assert.deepEqual(on.pull_request, { branches: ["main"] });
  assert.match(env?.IMAGE ?? "", /^ghcr\.io\/scilifelabdatacentre\/swg-[a-z-]+$/);

  const image = jobs.image!;
  assert.equal(image.needs, "test");
  assert.equal(image.permissions?.packages, "write");
  const checkout = image.steps.find((step) => step.uses?.startsWith("actions/checkout@"));
  assert.equal(
    checkout?.with?.["fetch-depth"],
    0,
    "the image's checkout is shallow: the policy's history needs every commit",
  );
  const tags = image.steps.find((step) => step.run?.startsWith("scripts/ci/image-tags "))!;
  assert.equal(
    tags.run,
    'scripts/ci/image-tags "$IMAGE" "$EVENT" "$REF_NAME" "$SHA" "$REQUESTED_TAG" >> "$GITHUB_OUTPUT"',
  );
  assert.deepEqual(tags.env, {
    EVENT: "${{ github.event_name }}",
    REF_NAME: "${{ github.ref_name }}",
    SHA: "${{ github.sha }}",
    REQUESTED_TAG: "${{ inputs.docker_tag }}",
  });
  const login = image.steps.find((step) => step.uses?.startsWith("docker/login-action@"))!;
  assert.equal(login.with?.registry, "ghcr.io");
  const build = image.steps.find((step) => step.uses?.startsWith("docker/build-push-action@"))!;
  assert.equal(build.with?.context, ".", "a Git context would clone without .git's history");
  assert.equal(build.with?.tags, `\${{ steps.${tags.id}.outputs.tags }}`);
  const notOnPullRequests = "github.event_name != 'pull_request'";
  assert.equal(build.with?.push, `\${{ ${notOnPullRequests} }}`);
  assert.equal(login.if, notOnPullRequests);
});

test("no workflow deploys to GitHub Pages, where the portal serves nothing", () => {
  for (const file of readdirSync(".github/workflows")) {
    const steps = Object.values(readWorkflow(file).jobs).flatMap((job) => job.steps);
    assert.deepEqual(
      steps.filter((step) => /pages/.test(step.uses ?? "")),
      [],
      file,
    );
  }
});

test("the image's tags are the portal's: the commit or the tag asked for, a release's name and stable, and latest", () => {
  const tags = (...args: string[]) =>
    spawnSync("sh", ["scripts/ci/image-tags", "ghcr.io/o/i", ...args], { encoding: "utf8" });
  const expect = (...lines: string[]) =>
    ["tags<<EOF", ...lines.map((tag) => `ghcr.io/o/i:${tag}`), "EOF", ""].join("\n");
  const sha = "0123456789abcdef0123456789abcdef01234567";
  assert.equal(tags("push", "main", sha, "").stdout, expect(sha, "latest"));
  assert.equal(tags("workflow_dispatch", "fix-footer", sha, "").stdout, expect(sha, "latest"));
  assert.equal(tags("workflow_dispatch", "fix-footer", sha, "fix-footer-1").stdout, expect("fix-footer-1", "latest"));
  assert.equal(tags("release", "v1.2.0", sha, "").stdout, expect("v1.2.0", "latest", "stable"));
  for (const bad of ["has space", "-dash-first", "x".repeat(129), "two\nlines"]) {
    const run = tags("workflow_dispatch", "main", sha, bad);
    assert.equal(run.status, 1, bad);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /is not a valid image tag\. Fix: /);
  }
});
