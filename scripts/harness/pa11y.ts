// pa11y-ci as the portal runs it (WCAG2AA, level error, .github/pa11y.config)
// over every page of a built site, served as the tests serve it: the site on
// the portal's origin and the Matomo stand-in on Matomo's (test-hosts.ts),
// in Debian's Chromium (its headless shell: the same Blink without the
// browser around it, all pa11y-ci's checks need), with nothing from the
// network. Nothing is hidden: the opt-out frame is checked like the rest.
// `npm run pa11y` runs it on public/, and a test on pages of its own.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { siteHandler } from "../../lib/static-server.ts";
import { chromiumBuilds, matomoOrigin, portalOrigin } from "./browser.ts";
import { matomoStandIn } from "./matomo/stand-in.ts";
import { startTestHosts } from "./test-hosts.ts";
import { toolsMissing } from "./tools.ts";

interface Pa11yConfig {
  defaults: { chromeLaunchConfig: { executablePath?: string; args: string[] } };
  urls?: string[];
}

/** Every page of `folder`, by the address it is served at: a folder's index.html as the folder. */
export function pageUrls(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".html"))
    .map(
      (file) =>
        `${portalOrigin}/${file
          .split("\\")
          .join("/")
          .replace(/(^|\/)index\.html$/, "$1")}`,
    )
    .sort();
}

/** Runs pa11y-ci over every page of `folder`, its report going to `write`; resolves with its exit status (2: a page has an error). */
export async function pa11yCi(folder: string, write: (text: string) => void): Promise<number> {
  const urls = pageUrls(folder);
  if (urls.length === 0) throw new Error(`${folder}/ holds no built page: run npm run build first.`);
  const chromium = chromiumBuilds["headless-shell"];
  const missing = toolsMissing("pa11y-ci", [chromium]);
  if (missing) throw new Error(`${missing}.`);

  const hosts = await startTestHosts({ [portalOrigin]: siteHandler(folder), [matomoOrigin]: matomoStandIn() });
  const work = mkdtempSync(join(tmpdir(), "privacy-pa11y-"));
  try {
    const config = JSON.parse(readFileSync(".github/pa11y.config", "utf8")) as Pa11yConfig;
    const launch = config.defaults.chromeLaunchConfig;
    launch.executablePath = chromium.path;
    launch.args = [...launch.args, ...hosts.chromiumArgs];
    config.urls = urls;
    writeFileSync(join(work, "pa11y.json"), JSON.stringify(config));
    // Not spawnSync: this process's test hosts answer pa11y-ci's browser meanwhile.
    const run = spawn(
      process.execPath,
      ["node_modules/pa11y-ci/bin/pa11y-ci.js", "--config", join(work, "pa11y.json")],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    // As text, so a character split between two chunks (pa11y-ci's ✔ and ✘) arrives whole.
    run.stdout.setEncoding("utf8").on("data", write);
    run.stderr.setEncoding("utf8").on("data", write);
    return await new Promise<number>((resolve) => run.on("close", (code) => resolve(code ?? 1)));
  } finally {
    await hosts.close();
    rmSync(work, { recursive: true, force: true });
  }
}
