// Serves a built site as the deployment does: /privacy/ from
// privacy/index.html, /privacy redirected to /privacy/, a missing file with
// 404.html, and every response with the security headers nginx sends.
// `npm run serve` serves with it, and so do the tests' browsers.
import type { RequestListener } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { securityHeaders } from "./security-policy.ts";
import { loadSite } from "./site.ts";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "application/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".avif": "image/avif",
  ".webp": "image/webp",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** `extraPolicy`: a second security policy, enforced beside the deployment's (both apply). */
export function siteHandler(folder: string, extraPolicy?: string): RequestListener {
  const policy = securityHeaders(loadSite());
  const headers: Record<string, string | string[]> = extraPolicy
    ? { ...policy, "Content-Security-Policy": [policy["Content-Security-Policy"]!, extraPolicy] }
    : policy;
  return async (request, response) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    } catch {
      response.writeHead(400, headers).end();
      return;
    }
    const file = join(folder, normalize(path));
    const isFolder = await stat(file).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (isFolder && !path.endsWith("/")) {
      response.writeHead(301, { ...headers, location: `${path}/` }).end();
      return;
    }
    const target = isFolder ? join(file, "index.html") : file;
    try {
      const body = await readFile(target);
      response
        .writeHead(200, { ...headers, "content-type": types[extname(target)] ?? "application/octet-stream" })
        .end(body);
    } catch {
      response
        .writeHead(404, { ...headers, "content-type": types[".html"] })
        .end(await readFile(join(folder, "404.html")));
    }
  };
}
