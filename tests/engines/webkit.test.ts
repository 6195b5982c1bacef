// The page and Matomo's opt-out frame in Debian's WebKitGTK: its MiniBrowser
// driven by WebKitWebDriver (selenium-webdriver) on a display of its own
// (Xvfb), in both themes, under our policy, with nothing off the machine and
// the visit counted. Every process it starts ends with this one.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Builder, By, until, type WebDriver } from "selenium-webdriver";
import { loadSite } from "../../lib/site.ts";
import { portalHosts } from "../../scripts/harness/hosts.ts";
import { freePort } from "../helpers/chromium.ts";
import { copyProject } from "../helpers/project.ts";

const site = loadSite("src/_data/site.json");
const started: ChildProcess[] = [];
let hosts: Awaited<ReturnType<typeof portalHosts>>;
let driver: WebDriver;

/** Ends each process started, in its group, with all it started. */
const stopAll = () =>
  started.forEach(({ pid }) => {
    try {
      process.kill(-pid!, "SIGKILL");
    } catch {
      // Ended already.
    }
  });
process.once("exit", stopAll);

before(async () => {
  const project = copyProject({ git: true });
  assert.equal((await project.npm("build")).code, 0);
  hosts = await portalHosts(join(project.root, "public"), site);
  // Xvfb takes a free display and writes its number to fd 3.
  const xvfbArgs = ["-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"];
  const xvfb = spawn("/usr/bin/Xvfb", xvfbArgs, { detached: true, stdio: ["ignore", "ignore", "ignore", "pipe"] });
  started.push(xvfb);
  const display = await new Promise((resolve) => xvfb.stdio[3]!.once("data", (data) => resolve(String(data).trim())));
  const port = await freePort();
  // With no GPU, WebKitGTK's compositing would draw through Mesa's software GL: its non-composited mode costs less.
  const env = {
    ...process.env,
    DISPLAY: `:${display}`,
    https_proxy: hosts.proxy,
    WEBKIT_DISABLE_COMPOSITING_MODE: "1",
  };
  started.push(
    spawn(process.env.WEBKIT_DRIVER_PATH ?? "/usr/bin/WebKitWebDriver", [`--port=${port}`], {
      detached: true,
      env,
      stdio: "ignore",
    }),
  );
  // The driver is ready once its status says so.
  const status = () =>
    fetch(`http://127.0.0.1:${port}/status`).then(
      (r) => r.json().then((s) => s.value.ready),
      () => false,
    );
  for (let tries = 0; !(await status()); tries++) {
    if (tries > 100) throw new Error("WebKitWebDriver did not start");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const miniBrowser = { binary: "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", args: ["--automation"] };
  const capabilities = {
    browserName: "MiniBrowser",
    "webkitgtk:browserOptions": miniBrowser,
    acceptInsecureCerts: true,
  };
  driver = await new Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities(capabilities).build();
});
after(async () => {
  await driver?.quit();
  stopAll();
  await hosts?.close();
});

for (const theme of ["light", "dark"] as const) {
  test(`WebKit, ${theme}: the page and Matomo's form load under our policy, every image and the font, nothing off the machine, the visit counted`, async () => {
    await driver.get(`${site.origin}/404.html`);
    await driver.executeScript(`localStorage.setItem("bsTheme", "${theme}")`);
    const [frames, views] = [hosts.traffic.frames.length, hosts.traffic.tracking.length];
    await driver.get(`${site.origin}/privacy/`);
    assert.equal(await driver.executeScript("return document.documentElement.getAttribute('data-bs-theme')"), theme);
    await driver.wait(until.ableToSwitchToFrame(By.id("matoOpOut")), 10_000);
    await driver.wait(until.elementLocated(By.id("trackVisits")), 10_000);
    await driver.switchTo().defaultContent();
    assert.equal(hosts.traffic.frames.length, frames + 1);
    assert.equal(hosts.traffic.frames.at(-1)!.url.searchParams.has("backgroundColor"), theme === "dark");
    await driver.executeScript("scrollTo(0, document.documentElement.scrollHeight)");
    const images =
      "[...document.images].filter((img) => img.checkVisibility()).every((img) => img.complete && img.naturalWidth)";
    assert.ok(
      await driver.wait(
        () => driver.executeScript(`return ${images} && document.fonts.check('700 1rem Roboto')`),
        10_000,
      ),
    );
    assert.ok(
      await driver.wait(() => hosts.traffic.tracking.length === views + 1, 10_000),
      "the visit was not counted",
    );
    assert.deepEqual(hosts.refused, []);
  });
}
