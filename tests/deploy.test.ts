// The deployment files agree with the README and with each other.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";

const readme = readFileSync("README.md", "utf8");
const workflow = readFileSync(".github/workflows/deploy.yml", "utf8");
const dockerfile = readFileSync("Dockerfile", "utf8");
const nginxConf = readFileSync("deploy/nginx.conf", "utf8");

const commandsOf = (lines: string[]) => lines.flatMap((line) => line.split("&&").map((command) => command.trim())).filter(Boolean);

test("the README opens with the quick start, and the workflow runs its set-up commands and no other npm command", () => {
  const start = readme.indexOf("## Quick start");
  assert.ok(start !== -1 && readme.slice(0, start).split("\n").length < 10, "the README does not open with its quick start");
  const quickStart = readme.slice(start, readme.indexOf("\n## ", start + 1));
  const lines = [...quickStart.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) => block[1]!.trim().split("\n"));
  const documented = commandsOf(lines.map((line) => line.replace(/\s+#.*$/, "")));
  assert.deepEqual(documented.slice(0, 4), ["npm ci", "npm run build", "npm test", "npm start"]);
  assert.ok(readme.slice(0, readme.split("\n").slice(0, 40).join("\n").length).includes("src/privacy.md"), "the first 40 lines do not say what to edit");
  const run = commandsOf([...workflow.matchAll(/^\s*(?:- )?run: (.+)$/gm)].map((line) => line[1]!));
  for (const command of documented.slice(0, 3)) assert.ok(run.includes(command), `the workflow does not run ${command}`);
  for (const command of run.filter((c) => c.startsWith("npm"))) assert.ok(documented.includes(command), `the README does not show ${command}`);
  assert.match(workflow, /actions\/upload-pages-artifact@[0-9a-f]{40} # v\d+(\.\d+)*\n\s+with:\n\s+path: public\n/);
  assert.match(workflow, /actions\/deploy-pages@[0-9a-f]{40} # v\d+/);
});

test("the image serves public/ with deploy/'s configuration, where nginx looks for it", () => {
  for (const [, source] of dockerfile.matchAll(/^COPY (?!--from)(\S+)/gm)) assert.ok(existsSync(source!), `Dockerfile copies missing ${source}`);
  assert.match(dockerfile, /^COPY deploy\/nginx\.conf \/etc\/nginx\/conf\.d\/default\.conf$/m);
  // nginx reads a relative include from the folder of its main configuration, /etc/nginx.
  assert.match(nginxConf, /^\s*include security-headers\.conf;$/m);
  assert.match(dockerfile, /^COPY deploy\/security-headers\.conf \/etc\/nginx\/security-headers\.conf$/m);
  const root = /^\s*root (\S+);$/m.exec(nginxConf)?.[1];
  assert.match(dockerfile, new RegExp(`^COPY --from=build /app/public ${root}$`, "m"));
  const port = /^\s*listen (\d+);$/m.exec(nginxConf)?.[1];
  assert.match(dockerfile, new RegExp(`^EXPOSE ${port}$`, "m"));
  assert.match(dockerfile, /^FROM nginxinc\/nginx-unprivileged:/m);
});
