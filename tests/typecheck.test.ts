// The type check, part of `npm test`: TypeScript `strict` over the build, the
// scripts and the tests, and over every browser script against the DOM's
// types, exactly as `npm run typecheck` runs it. A test file of its own, so
// it runs beside the others.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";

const { scripts } = JSON.parse(await readFile("package.json", "utf8")) as { scripts: Record<string, string> };
const script = resolve("scripts/typecheck.mjs");

const typecheck = (cwd: string, projects: string[] = []) =>
  new Promise<{ code: number | null; output: string }>((done) => {
    const run = spawn(process.execPath, [script, ...projects], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    run.stdout.on("data", (chunk) => (output += chunk));
    run.stderr.on("data", (chunk) => (output += chunk));
    run.on("close", (code) => done({ code, output }));
  });

test("every TypeScript source and browser script type-checks", async () => {
  assert.equal(scripts.typecheck, "node scripts/typecheck.mjs");
  const { code, output } = await typecheck(".");
  assert.equal(code, 0, output);
});

test("a check after a package changed checks again, though no file of the project did", async () => {
  const project = await mkdtemp(join(tmpdir(), "privacy-typecheck-"));
  try {
    // The smallest project tsc checks: no standard library but the few types it cannot do without.
    const globals = [
      "Array<T>",
      "Boolean",
      "CallableFunction",
      "Function",
      "IArguments",
      "NewableFunction",
      "Number",
      "Object",
      "RegExp",
      "String",
    ];
    await writeFile(join(project, "globals.d.ts"), globals.map((name) => `interface ${name} {}\n`).join(""));
    const options = {
      strict: true,
      noEmit: true,
      noLib: true,
      types: [],
      incremental: true,
      tsBuildInfoFile: ".cache/tsc/project.tsbuildinfo",
    };
    await writeFile(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: options, include: ["*.ts"] }));
    await writeFile(
      join(project, "main.ts"),
      'import { size } from "shapes";\nexport const doubled: number = size * 2;\n',
    );
    await mkdir(join(project, "node_modules", "shapes"), { recursive: true });
    const installed = async (version: string, type: string) => {
      await writeFile(join(project, "node_modules", "shapes", "index.d.ts"), `export declare const size: ${type};\n`);
      await writeFile(
        join(project, "package-lock.json"),
        JSON.stringify({ packages: { "node_modules/shapes": { version } } }),
      );
    };

    await installed("1.0.0", "number");
    assert.equal((await typecheck(project, ["tsconfig.json"])).code, 0);
    await installed("2.0.0", "string");
    const { code, output } = await typecheck(project, ["tsconfig.json"]);
    assert.equal(code, 1, output);
    assert.match(output, /main\.ts\(2,\d+\): error TS2362/);
  } finally {
    await rm(project, { recursive: true, force: true });
  }
});
