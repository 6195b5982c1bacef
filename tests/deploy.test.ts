// The deployment files agree with the README and with each other.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";

const readme = readFileSync("README.md", "utf8");
const workflow = readFileSync(".github/workflows/deploy.yml", "utf8");
const dockerfile = readFileSync("Dockerfile", "utf8");
const nginxConf = readFileSync("deploy/nginx.conf", "utf8");

const commandsOf = (lines: string[]) => lines.flatMap((line) => line.split("&&").map((command) => command.trim())).filter(Boolean);

test("the workflow runs the README's set-up commands, and no other npm command", () => {
  const setUp = readme.slice(readme.indexOf("## Set up"), readme.indexOf("\n## ", readme.indexOf("## Set up") + 1));
  const documented = commandsOf([...setUp.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) => block[1]!.trim().split("\n")));
  assert.deepEqual(documented, ["npm ci", "npm run build", "npm test"]);
  const run = commandsOf([...workflow.matchAll(/^\s*(?:- )?run: (.+)$/gm)].map((line) => line[1]!));
  for (const command of documented) assert.ok(run.includes(command), `the workflow does not run ${command}`);
  for (const command of run.filter((c) => c.startsWith("npm"))) assert.ok(documented.includes(command), `the README does not show ${command}`);
  assert.match(workflow, /actions\/upload-pages-artifact@v\d+\n\s+with:\n\s+path: public\n/);
  assert.match(workflow, /actions\/deploy-pages@v\d+/);
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
