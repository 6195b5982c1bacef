// Debian's WebKitGTK, driven by selenium-webdriver through WebKitWebDriver,
// which runs WebKitGTK's MiniBrowser in automation mode on a display of its
// own (Xvfb). WebKitGTK resolves names itself, through the system: the
// engine hosts' proxy is given to WebKitWebDriver's environment (https_proxy),
// never to the system, so no system file changes. Each session is a fresh
// browser; closing it ends MiniBrowser, the driver and the display.
import { spawn, type ChildProcess } from "node:child_process";
import { Builder, type WebDriver } from "selenium-webdriver";
import { freePort } from "../helpers/free-port.ts";
import { toolsMissing } from "../../scripts/harness/tools.ts";
import type { EngineHosts } from "./hosts.ts";

export const webkitDriverPath = process.env.WEBKIT_DRIVER_PATH ?? "/usr/bin/WebKitWebDriver";
export const miniBrowserPath = process.env.MINIBROWSER_PATH ?? "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
const xvfbPath = "/usr/bin/Xvfb";

/** Why the WebKit tests cannot run here, or undefined when they can. In CI they must. */
export const webkitMissing = () =>
  toolsMissing("the engine tests", [
    {
      name: "WebKitWebDriver",
      path: webkitDriverPath,
      debianPackage: "webkit2gtk-driver",
      variable: "WEBKIT_DRIVER_PATH",
    },
    { name: "MiniBrowser", path: miniBrowserPath, debianPackage: "webkit2gtk-driver", variable: "MINIBROWSER_PATH" },
    { name: "Xvfb", path: xvfbPath, debianPackage: "xvfb" },
  ]);

/** MiniBrowser's own settings, by what the tests call them. */
export interface WebKitSettings {
  /** --cookies-policy: "no-third-party" is WebKitGTK's default, "always" allows them. */
  thirdPartyCookies?: "blocked" | "allowed";
  colorScheme?: "light" | "dark";
}

export interface WebKitSession {
  driver: WebDriver;
  close(): Promise<void>;
}

/** The process groups started and not yet ended: ended also when this process exits, however it exits. */
const running = new Set<ChildProcess>();
const endAll = () => {
  for (const child of running) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Gone already.
    }
  }
};
process.once("exit", endAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    endAll();
    process.exit(1);
  });
}

/** Ends a process group, and waits until its leader has gone. */
async function stop(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    process.kill(-child.pid!, "SIGTERM");
  } catch {
    return;
  }
  await exited;
}

export async function startWebKit(hosts: EngineHosts, settings: WebKitSettings = {}): Promise<WebKitSession> {
  // Xvfb picks a free display and writes its number to fd 3.
  const xvfb = spawn(xvfbPath, ["-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"], {
    stdio: ["ignore", "ignore", "ignore", "pipe"],
    detached: true,
  });
  running.add(xvfb);
  const display = await new Promise<string>((resolve, reject) => {
    xvfb.stdio[3]!.once("data", (data: Buffer) => resolve(data.toString().trim()));
    xvfb.once("exit", () => reject(new Error("Xvfb did not start")));
  });
  const port = await freePort();
  const proxy = `http://127.0.0.1:${hosts.proxyPort}`;
  const webDriver = spawn(webkitDriverPath, [`--port=${port}`], {
    // The driver talks to MiniBrowser on loopback directly; MiniBrowser's https goes through the proxy.
    env: {
      ...process.env,
      DISPLAY: `:${display}`,
      https_proxy: proxy,
      http_proxy: proxy,
      no_proxy: "127.0.0.1,localhost",
      // No GPU here: composited, WebKitGTK would draw through Mesa's software GL, at a far higher CPU cost for the
      // same pages; its non-composited mode draws them with Cairo, as on a machine without working GL.
      WEBKIT_DISABLE_COMPOSITING_MODE: "1",
    },
    stdio: "ignore",
    detached: true,
  });
  running.add(webDriver);
  const close = async () => {
    await stop(webDriver);
    await stop(xvfb);
  };
  try {
    const args = [
      "--automation",
      `--cookies-policy=${settings.thirdPartyCookies === "allowed" ? "always" : "no-third-party"}`,
    ];
    if (settings.colorScheme === "dark") args.push("--dark-mode");
    const builder = new Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities({
      browserName: "MiniBrowser",
      "webkitgtk:browserOptions": { binary: miniBrowserPath, args },
      // The test hosts' throwaway certificate.
      acceptInsecureCerts: true,
    });
    let driver: WebDriver | undefined;
    // The driver may not listen yet: try again until it does.
    for (let tries = 0; !driver; tries++) {
      driver = await builder.build().catch((error: Error) => {
        if (tries > 100 || !/ECONNREFUSED/.test(String(error))) throw error;
        return new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 50));
      });
    }
    const session = driver;
    return {
      driver: session,
      async close() {
        await session.quit().catch(() => undefined);
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}
