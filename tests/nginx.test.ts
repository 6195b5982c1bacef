// The deploy/ nginx configuration, run for real against the built site.
import assert from "node:assert/strict";
import { request } from "node:http";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { nginxSecurityHeaders, securityHeaders } from "../lib/security-policy.ts";
import { loadSite } from "../lib/site.ts";
import { sharedBuild } from "./helpers/build.ts";
import { browserMissing, launchChromium, openPage, optOutForm, type TestBrowser } from "../scripts/harness/browser.ts";
import { eventually } from "./helpers/eventually.ts";
import { nginxMissing, startNginx, type RunningNginx } from "./helpers/nginx.ts";

interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request, with nothing decoded, so compression shows. */
function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    })
      .on("error", reject)
      .end();
  });
}

const expectedHeaders = Object.entries(securityHeaders(loadSite())).map(
  ([name, value]) => [name.toLowerCase(), value] as const,
);

function assertSecurityHeaders(response: Response, what: string) {
  for (const [name, value] of expectedHeaders) assert.equal(response.headers[name], value, `${name} on ${what}`);
  assert.equal(response.headers.server, "nginx", `the server gives its version away on ${what}`);
}

test("deploy/security-headers.conf is what `npm run nginx-headers` makes from the site data", async () => {
  assert.equal(
    await readFile("deploy/security-headers.conf", "utf8"),
    nginxSecurityHeaders(loadSite()),
    "run `npm run nginx-headers`",
  );
});

test("the header policy is strict: nothing by default, no inline code, no wildcard, framing limited", () => {
  const policy = securityHeaders(loadSite())["Content-Security-Policy"]!;
  assert.match(policy, /^default-src 'none';/);
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*/);
  assert.match(policy, /; frame-ancestors 'self' https:\/\/plantgenie\.upsc\.se$/);
  for (const directive of ["base-uri 'none'", "form-action 'none'", "frame-src https://matomo.dc.scilifelab.se"])
    assert.ok(policy.includes(directive), directive);
});

test("the opener policy isolates the page from other windows, but lets Matomo's opt-out popup reach its frame", () => {
  // "same-origin" would cut the popup off from the frame that opened it: the frame then warns that the
  // popup was blocked, and keeps a spent nonce, so opting back in fails (tests/opt-out.test.ts shows both).
  assert.equal(securityHeaders(loadSite())["Cross-Origin-Opener-Policy"], "same-origin-allow-popups");
});

describe("nginx serving the build", { skip: nginxMissing() }, () => {
  let nginx: RunningNginx;
  let assets: string[];
  let siteFolder: string;

  before(async () => {
    const site = await sharedBuild();
    siteFolder = site.folder;
    assets = await readdir(join(site.folder, "assets"));
    nginx = await startNginx(site.folder);
  });
  after(() => nginx?.stop());

  const asset = (extension: string) => `/assets/${assets.find((name) => name.endsWith(extension))}`;

  test("serves the page compressed, with every header, revalidated on each visit", async () => {
    const page = await get(`${nginx.origin}/privacy/`, { "accept-encoding": "gzip" });
    assert.equal(page.status, 200);
    assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
    assert.equal(page.headers["content-encoding"], "gzip");
    assert.equal(page.headers.vary, "Accept-Encoding");
    assert.equal(page.headers["cache-control"], "no-cache");
    assertSecurityHeaders(page, "the page");
  });

  test("serves the page plain to clients that do not take gzip", async () => {
    const page = await get(`${nginx.origin}/privacy/`);
    assert.equal(page.headers["content-encoding"], undefined);
    assert.match(page.body.toString(), /^<!DOCTYPE html>/);
  });

  for (const [extension, type] of [
    [".css", "text/css; charset=utf-8"],
    [".js", "application/javascript; charset=utf-8"],
  ]) {
    test(`serves the ${extension} asset compressed, cached for a year, with every header`, async () => {
      const response = await get(nginx.origin + asset(extension!), { "accept-encoding": "gzip" });
      assert.equal(response.status, 200);
      assert.equal(response.headers["content-type"], type);
      assert.equal(response.headers["cache-control"], "public, max-age=31536000, immutable");
      assertSecurityHeaders(response, extension!);
      if (extension === ".css") assert.equal(response.headers["content-encoding"], "gzip");
    });
  }

  test("serves the font and the images with their types, hashed ones cached for a year, favicons revalidated", async () => {
    const images = await readdir(join(siteFolder, "assets", "img"));
    const cases = [
      [asset(".woff2"), "font/woff2", "public, max-age=31536000, immutable"],
      [
        `/assets/img/${images.find((name) => name.endsWith(".avif"))}`,
        "image/avif",
        "public, max-age=31536000, immutable",
      ],
      [
        `/assets/img/${images.find((name) => name.endsWith(".svg"))}`,
        "image/svg+xml",
        "public, max-age=31536000, immutable",
      ],
      ["/favicons/favicon-32x32.png", "image/png", "no-cache"],
    ];
    for (const [path, type, cacheControl] of cases) {
      const response = await get(nginx.origin + path!);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers["content-type"], type, path);
      assert.equal(response.headers["cache-control"], cacheControl, path);
      assertSecurityHeaders(response, path!);
    }
  });

  test("redirects /privacy to /privacy/ with a relative Location, with every header", async () => {
    const redirect = await get(`${nginx.origin}/privacy`);
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.location, "/privacy/");
    assertSecurityHeaders(redirect, "the redirect");
  });

  test("sends visitors from / to the policy", async () => {
    const redirect = await get(`${nginx.origin}/`);
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.location, "/privacy/");
    assertSecurityHeaders(redirect, "the root redirect");
  });

  test("answers a missing page with the site's 404 page and every header", async () => {
    const missing = await get(`${nginx.origin}/no/such/page`, { "accept-encoding": "gzip" });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers["content-encoding"], "gzip");
    assert.equal(missing.headers["cache-control"], "no-cache");
    assertSecurityHeaders(missing, "the 404");
    const plain = await get(`${nginx.origin}/assets/missing.css`);
    assert.match(plain.body.toString(), /<h1>Page not found<\/h1>/);
    assert.match(plain.body.toString(), /<meta name="robots" content="noindex">/);
    assertSecurityHeaders(plain, "a missing asset");
  });

  describe("in Chromium, through nginx", { skip: browserMissing() }, () => {
    let browser: TestBrowser;
    before(async () => (browser = await launchChromium()));
    after(() => browser?.close());

    for (const path of ["/privacy/", "/no/such/page"]) {
      test(`${path} loads with both policies in force and no violation`, async () => {
        const { page, matomo, problems } = await openPage(browser, nginx.origin + path);
        if (path === "/privacy/") {
          await optOutForm(page);
          await eventually(() => matomo.pageViews.length > 0, "the tracker has sent the page view");
        }
        // The 404 page's own status is the one error expected there.
        const expected =
          path === "/privacy/"
            ? []
            : [
                `HTTP 404: ${nginx.origin}${path}`,
                "console error: Failed to load resource: the server responded with a status of 404 (Not Found)",
              ];
        assert.deepEqual(problems, expected);
      });
    }
  });
});
