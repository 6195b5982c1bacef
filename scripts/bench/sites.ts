// The benchmark's sites: a copy of the project with as many pages and
// versions as asked, built, and beside it the floor's folder with the same.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

// As `npm run build` has it (package.json): Node keeps what it stripped and compiled. The floor gets it too.
export const compileCache = { ...process.env, NODE_COMPILE_CACHE: join(tmpdir(), "node-compile-cache") };
const policy = readFileSync("src/privacy.md", "utf8");
const tracked = execFileSync("git", ["ls-files", "-z"], { encoding: "utf8" }).split("\0").filter(Boolean);
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
export function benchSite(pages: number, history: string[] = []): { ours: string; floor: string } {
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
  execFileSync(process.execPath, ["scripts/build.ts"], { cwd: ours, stdio: "ignore", env: compileCache });
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
  cpSync("scripts/bench/floor.markdownlint-cli2.jsonc", join(floor, ".markdownlint-cli2.jsonc"));
  symlinkSync(resolve("node_modules"), join(floor, "node_modules"));
  return { ours, floor };
}
