// `npm run pa11y`: pa11y-ci as the portal runs it (WCAG2AA, errors,
// .github/pa11y.config) over every page of public/, in Debian's Chromium,
// served on the portal's origin beside the Matomo stand-in, nothing hidden
// and nothing from the network. Its report and exit status are pa11y-ci's.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSite } from "../lib/site.ts";
import { portalHosts } from "./harness/hosts.ts";

const site = loadSite("src/_data/site.json");
const pages = readdirSync("public", { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".html"));
if (pages.length === 0) throw new Error("public/ holds no page: run npm run build first.");
const hosts = await portalHosts("public", site);
const config = JSON.parse(readFileSync(".github/pa11y.config", "utf8"));
config.defaults.chromeLaunchConfig.executablePath = process.env.CHROME_PATH ?? "/usr/bin/chromium";
config.defaults.chromeLaunchConfig.args.push(...hosts.chromiumArgs);
config.urls = pages.sort().map((page) => `${site.origin}/${page.replace(/(^|\/)index\.html$/, "$1")}`);
const folder = mkdtempSync(join(tmpdir(), "privacy-pa11y-"));
writeFileSync(join(folder, "config.json"), JSON.stringify(config));
const pa11y = spawn(
  process.execPath,
  ["node_modules/pa11y-ci/bin/pa11y-ci.js", "--config", join(folder, "config.json")],
  { stdio: "inherit" },
);
process.exitCode = await new Promise<number>((resolve) => pa11y.on("close", (code) => resolve(code ?? 1)));
rmSync(folder, { recursive: true, force: true });
await hosts.close();
