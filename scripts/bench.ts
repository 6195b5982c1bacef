// `npm run bench [-- --pages 1,100 --runs 5 --edits 5 --versions 20 --out FILE]`:
// our build against the floor, what a team would run by hand with the
// design's own stack over the same pages and versions (markdownlint-cli2 over
// the sources, then Eleventy with markdown-it and html-minifier-terser as a
// transform, scripts/bench/floor.config.mjs), alternating, with medians. Then
// the history's build at --versions against the floor over its pages, the
// preview's rebuild after an edit, and the first view's bytes in Chromium. It
// prints the report; a run with the default pages rewrites BENCHMARK.md's
// first part (or writes --out).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  watch,
  writeFileSync,
} from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import puppeteer from "puppeteer-core";
import { loadSite } from "../lib/site.ts";
import { portalHosts } from "./harness/hosts.ts";

const { values } = parseArgs({
  options: {
    pages: { type: "string", default: "1,100" },
    runs: { type: "string", default: "5" },
    edits: { type: "string", default: "5" },
    versions: { type: "string", default: "20" },
    out: { type: "string" },
  },
});
const [runs, edits, versions] = [values.runs, values.edits, values.versions].map(Number) as [number, number, number];
const site = loadSite("src/_data/site.json");
const policy = readFileSync("src/privacy.md", "utf8");
const tracked = execFileSync("git", ["ls-files", "-z"], { encoding: "utf8" }).split("\0").filter(Boolean);
const node = process.execPath;
const median = (numbers: number[]) => numbers.toSorted((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
const git = (cwd: string, args: string) =>
  execFileSync("git", `-c user.name=Bench -c user.email=bench@example.org ${args}`.split(" "), {
    cwd,
    stdio: "ignore",
  });
const write = (path: string, text: string) => [
  mkdirSync(dirname(path), { recursive: true }),
  writeFileSync(path, text),
];

/**
 * A copy of the project with `pages` pages (the policy, the 404 page, copies of the policy) and the policy's
 * `history` texts committed one by one, oldest first; beside it, the floor's folder with the same pages, the
 * history's texts as pages of their own, and our built policy page as its layout.
 */
function benchSite(pages: number, history: string[] = []): { ours: string; floor: string } {
  const ours = mkdtempSync(join(tmpdir(), "privacy-bench-"));
  process.once("exit", () => rmSync(ours, { recursive: true, force: true }));
  for (const file of tracked.filter((file) => !(history.length && file.startsWith("earlier-versions/"))))
    cpSync(file, join(ours, file));
  symlinkSync(resolve("node_modules"), join(ours, "node_modules"));
  const plain = (text: string, title: string) =>
    text
      .replace(/^history: true\n/m, "")
      .replace(/^title: .*$/m, `title: ${title}`)
      .replace(/^\{%.*%\}\n\n/m, "");
  for (let i = 2; i < pages; i++) write(join(ours, `src/copies/page-${i}.md`), plain(policy, `Page ${i}`));
  ["init --quiet", "add --all", "commit --quiet -m sources"].forEach((args) => git(ours, args));
  history.forEach((text, i) => [write(join(ours, "src/privacy.md"), text), git(ours, `commit --quiet --all -m v${i}`)]);
  execFileSync(node, ["scripts/build.ts"], { cwd: ours, stdio: "ignore", env: compileCache });
  const floor = join(ours, "floor");
  cpSync(join(ours, "src"), join(floor, "src"), {
    recursive: true,
    filter: (path) => !/_data|assets|history/.test(path),
  });
  // The same pages: each earlier version, and a list of the versions with what each changed.
  const earlier = history.length
    ? history.slice(0, -1)
    : readdirSync("earlier-versions/privacy")
        .filter((name) => name.endsWith(".md"))
        .slice(0, -1)
        .map((name) => readFileSync(join("earlier-versions/privacy", name), "utf8").replace(/^---[\s\S]*?\n---\n/, ""));
  earlier.forEach((text, i) => write(join(floor, `src/version-${i}.md`), plain(text.replace(/^###/gm, "##"), `V${i}`)));
  const changes = [...earlier, policy].map(
    (_, i) => `## Version ${i}\n\n[Read it](/version-${i}/). What changed: words added and words removed.\n`,
  );
  write(join(floor, "src/history.md"), `---\ntitle: Earlier versions\n---\n\n${changes.join("\n")}`);
  write(join(floor, "src/privacy.md"), plain(readFileSync(join(ours, "src/privacy.md"), "utf8"), "Privacy policy"));
  const built = readFileSync(join(ours, "public/privacy/index.html"), "utf8");
  const content = /<div class="container content">[\s\S]*?(?=<p class="updated">)/.exec(built)![0];
  write(
    join(floor, "_layouts/layout.njk"),
    built.replace(content, '<div class="container content">{{ content | safe }}'),
  );
  // The portal's settings for markdownlint (its pre-commit hook's), as a team would take them.
  write(
    join(floor, ".markdownlint-cli2.jsonc"),
    '{ "config": { "line-length": false, "no-inline-html": false, "fenced-code-language": false } }',
  );
  symlinkSync(resolve("node_modules"), join(floor, "node_modules"));
  return { ours, floor };
}

// As `npm run build` has it (package.json): Node keeps what it stripped and compiled. The floor gets it too.
const compileCache = { ...process.env, NODE_COMPILE_CACHE: join(tmpdir(), "node-compile-cache") };
const seconds = (cwd: string, commands: string[][]) => {
  const started = performance.now();
  for (const args of commands) {
    const run = spawnSync(node, args, { cwd, env: compileCache, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`${args.join(" ")} in ${cwd}:\n${run.stdout}${run.stderr}`);
  }
  return (performance.now() - started) / 1000;
};
const ourBuild = [["scripts/build.ts"]];
const floorBuild = [
  ["node_modules/markdownlint-cli2/markdownlint-cli2-bin.mjs", "src/**/*.md"],
  ["node_modules/@11ty/eleventy/cmd.cjs", "--config=../scripts/bench/floor.config.mjs", "--quiet"],
];

/** Median seconds of ours and the floor, alternating, after one untimed build of each. */
function race({ ours, floor }: { ours: string; floor: string }) {
  const times: { ours: number[]; floor: number[] } = { ours: [], floor: [] };
  cpSync("scripts/bench/floor.config.mjs", join(ours, "scripts/bench/floor.config.mjs"));
  for (let run = 0; run <= runs; run++) {
    const [a, b] = [seconds(ours, ourBuild), seconds(floor, floorBuild)];
    if (run > 0) [times.ours.push(a), times.floor.push(b)];
  }
  return { ours: median(times.ours), floor: median(times.floor) };
}

/** Milliseconds from saving an edit of the policy until `npm start` has rewritten its page, for each edit. */
async function rebuilds(root: string): Promise<number[]> {
  const preview = spawn("npm", ["start", "--", "--port=0"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  });
  process.once("exit", () => preview.exitCode === null && process.kill(-preview.pid!, "SIGTERM"));
  await new Promise<void>((ready) => preview.stderr.on("data", (data) => /Server at/.test(String(data)) && ready()));
  const times: number[] = [];
  // The first edit, untimed: the process is still warming up.
  for (let edit = 0; edit <= edits; edit++) {
    const page = join(root, ".preview/privacy");
    const rewritten = new Promise<number>((done) => {
      const watcher = watch(page, () => [watcher.close(), done(performance.now())]);
    });
    const saved = performance.now();
    writeFileSync(join(root, "src/privacy.md"), policy.replace(/^## .*$/m, `$&\n\nAn edit, number ${edit}.`));
    if (edit > 0) times.push((await rewritten) - saved);
    else await rewritten;
  }
  try {
    process.kill(-preview.pid!, "SIGTERM");
  } catch {
    // Ended already.
  }
  return times;
}

/** What Chromium fetches from our origin for the first view, in each theme: requests, and bytes as nginx sends them (gzip -6 for text). */
async function firstView(folder: string) {
  const hosts = await portalHosts(folder, site);
  const shell = process.env.CHROME_HEADLESS_SHELL_PATH ?? "/usr/bin/chromium-headless-shell";
  const browser = await puppeteer.launch({
    executablePath: shell,
    headless: "shell",
    args: ["--no-sandbox", ...hosts.chromiumArgs],
  });
  const views: Record<string, { requests: number; bytes: number }> = {};
  for (const colorScheme of ["light", "dark"]) {
    const page = await (await browser.createBrowserContext()).newPage();
    const urls: string[] = [];
    page.on("requestfinished", (request) => request.url().startsWith(site.origin) && urls.push(request.url()));
    await page.setViewport({ width: 1280, height: 900 });
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: colorScheme }]);
    await page.goto(`${site.origin}/privacy/`, { waitUntil: "networkidle0" });
    const sizes = urls.map((url) => {
      const path = join(folder, new URL(url).pathname.replace(/\/$/, "/index.html"));
      const bytes = readFileSync(path);
      return /\.(html|css|js|svg)$/.test(path) ? gzipSync(bytes, { level: 6 }).length : bytes.length;
    });
    views[colorScheme] = { requests: urls.length, bytes: sizes.reduce((sum, size) => sum + size, 0) };
  }
  await browser.close();
  await hosts.close();
  return views;
}

const row = (what: string, { ours, floor }: { ours: number; floor: number }) =>
  `| ${what} | ${ours.toFixed(3)} | ${floor.toFixed(3)} | ${(ours / floor).toFixed(3)}× |`;
const lines = [
  `Made by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}: medians of ${runs} runs, ours and the floor alternating, after an untimed build of each.`,
  "",
  "| what | ours (s) | floor (s) | ours / floor |",
  "| --- | ---: | ---: | ---: |",
];
for (const pages of values.pages.split(",").map(Number))
  lines.push(row(`${pages} page${pages === 1 ? "" : "s"}`, race(benchSite(pages))));
const texts = Array.from({ length: versions }, (_, i) => {
  const day = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
  return policy.replace(/^updated: .*$/m, `updated: ${day}`).replace(/^## .*$/m, `$&\n\nWords of version ${i + 1}.`);
});
const history = benchSite(1, texts);
lines.push(row(`versions of history (${versions})`, race(history)));
const edited = await rebuilds(history.ours);
lines.push(
  "",
  `Rebuild after an edit, from saving \`src/privacy.md\` to \`npm start\` rewriting its page: median ${median(edited).toFixed(0)} ms (${edited.map((ms) => ms.toFixed(0)).join(", ")}).`,
);
const views = await firstView(join(history.ours, "public"));
lines.push(
  "",
  "| first view in Chromium, 1280 × 900 | requests to our origin | bytes (gzip -6 for text) |",
  "| --- | ---: | ---: |",
);
for (const [scheme, { requests, bytes }] of Object.entries(views))
  lines.push(`| ${scheme} | ${requests} | ${(bytes / 1000).toFixed(1)} KB |`);

const report = lines.join("\n");
console.log(report);
const out = values.out ?? (values.pages === "1,100" ? "BENCHMARK.md" : undefined);
if (out) {
  const previous = existsSync(out) ? readFileSync(out, "utf8") : "";
  const kept = previous.includes("<!-- end of npm run bench -->")
    ? previous.slice(previous.indexOf("<!-- end of npm run bench -->"))
    : "<!-- end of npm run bench -->\n";
  writeFileSync(out, `# Benchmark\n\n${report}\n\n${kept}`);
  console.log(`Wrote ${out}.`);
}
