// Debian's nginx with deploy/'s configuration, serving a build as the image
// does: every response with the security headers, compression, caching,
// redirects and the 404 page; then the page in Chromium through it, with the
// header's policy and the page's own both in force.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { securityHeaders } from "../../lib/security-policy.ts";
import { eventually, freePort, launchChromium, site } from "../helpers/chromium.ts";
import { copyProject } from "../helpers/project.ts";

const headers = securityHeaders(site);
let origin: string;
let folder: string;
let nginx: ChildProcess;

const get = (path: string, gzip = true) =>
  fetch(`${origin}${path}`, { redirect: "manual", headers: gzip ? {} : { "accept-encoding": "identity" } });
const hasHeaders = (response: Response) => {
  for (const [name, value] of Object.entries(headers))
    assert.equal(response.headers.get(name), value, `${response.url}: ${name}`);
};

describe("nginx with deploy/'s configuration", () => {
  before(async () => {
    const project = copyProject({ git: true });
    assert.equal((await project.npm("build")).code, 0);
    folder = join(project.root, "public");
    const prefix = mkdtempSync(join(tmpdir(), "privacy-nginx-"));
    const port = await freePort();
    const server = readFileSync("deploy/nginx.conf", "utf8")
      .replace("listen 8080;", `listen 127.0.0.1:${port};`)
      .replace("root /usr/share/nginx/html;", `root ${folder};`);
    assert.ok(
      server.includes(folder) && server.includes(`:${port}`),
      "deploy/nginx.conf lost the lines this test replaces",
    );
    writeFileSync(join(prefix, "site.conf"), server);
    copyFileSync("deploy/security-headers.conf", join(prefix, "security-headers.conf"));
    // What the image's nginx.conf gives around the project's server block.
    const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
      .map((name) => `${name}_temp_path ${prefix}/${name};`)
      .join(" ");
    const main = `daemon off; pid ${prefix}/pid; error_log stderr; events {} http { include /etc/nginx/mime.types; default_type application/octet-stream; access_log off; ${temp} include site.conf; }`;
    writeFileSync(join(prefix, "nginx.conf"), main);
    nginx = spawn(
      process.env.NGINX_PATH ?? "/usr/sbin/nginx",
      ["-p", prefix, "-c", join(prefix, "nginx.conf"), "-e", "stderr"],
      { stdio: "ignore" },
    );
    origin = `http://127.0.0.1:${port}`;
    await eventually(
      () =>
        get("/privacy/").then(
          (r) => r.ok,
          () => false,
        ),
      "nginx answers",
    );
  });
  after(() => nginx?.kill("SIGQUIT"));

  test("the page: compressed unless the client takes none, revalidated on every visit, with every header", async () => {
    for (const gzip of [true, false]) {
      const response = await get("/privacy/", gzip);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-encoding"), gzip ? "gzip" : null);
      assert.equal(response.headers.get("cache-control"), "no-cache");
      assert.match(response.headers.get("content-type")!, /^text\/html; charset=utf-8$/);
      hasHeaders(response);
      assert.equal(await response.text(), readFileSync(join(folder, "privacy/index.html"), "utf8"));
    }
  });

  test("the assets: hashed ones cached for a year, text compressed, each with its type and every header; favicons revalidated", async () => {
    const page = readFileSync(join(folder, "privacy/index.html"), "utf8");
    const assets = [...page.matchAll(/"(\/assets\/[^"]+\.[0-9a-f]{10}\.(css|js|woff2))"/g)].map(([, path]) => path!);
    const image = /"(\/assets\/img\/[^" ]+\.avif)/.exec(page)![1]!;
    for (const path of [...assets, image]) {
      const response = await get(path);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get("cache-control")!, /max-age=31536000, immutable/);
      assert.equal(response.headers.get("content-encoding"), /\.(css|js)$/.test(path) ? "gzip" : null, path);
      assert.match(
        response.headers.get("content-type")!,
        /^(text\/css|application\/javascript|font\/woff2|image\/avif)/,
        path,
      );
      hasHeaders(response);
    }
    assert.equal((await get("/favicons/favicon-32x32.png")).headers.get("cache-control"), "no-cache");
  });

  test("/privacy to /privacy/ and / to the policy, with relative locations; a missing page gets the 404 page; every header on each", async () => {
    for (const [path, status, location] of [
      ["/privacy", 301, "/privacy/"],
      ["/", 302, "/privacy/"],
    ] as const) {
      const response = await get(path);
      assert.equal(response.status, status, path);
      assert.equal(response.headers.get("location"), location);
      hasHeaders(response);
    }
    const missing = await get("/no-such-page");
    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), readFileSync(join(folder, "404.html"), "utf8"));
    hasHeaders(missing);
  });

  test("in Chromium, the policy and the 404 page load with both security policies in force, and no violation", async () => {
    const chromium = await launchChromium(folder);
    after(() => chromium.close());
    for (const path of ["/privacy/", "/no-such-page"]) {
      const { page, problems } = await chromium.visit(`${origin}${path}`);
      await page.waitForNetworkIdle();
      // The missing page itself answers 404, as it should; nothing else may fail.
      const missing = (problem: string) =>
        path === "/no-such-page" && (problem.endsWith(path) || /status of 404/.test(problem));
      assert.deepEqual(
        problems.filter((problem) => !missing(problem)),
        [],
        path,
      );
    }
  });
});
