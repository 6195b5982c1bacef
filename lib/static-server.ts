// Serves a built site as the deployment's nginx does: /privacy/ from
// privacy/index.html, /privacy redirected to /privacy/, a missing file with
// 404.html, and every response with the security headers. `npm run serve`
// serves with it, and so do the tests' browsers.
import { readFile, stat } from "node:fs/promises";
import type { RequestListener } from "node:http";
import { extname, join, normalize } from "node:path";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "application/javascript; charset=utf-8",
  ".atom": "application/atom+xml",
  ".svg": "image/svg+xml",
  ".avif": "image/avif",
  ".webp": "image/webp",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

export function siteHandler(folder: string, headers: Record<string, string | string[]>): RequestListener {
  return async (request, response) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    } catch {
      return void response.writeHead(400, headers).end();
    }
    const file = join(folder, normalize(path));
    const isFolder = await stat(file).then(
      (found) => found.isDirectory(),
      () => false,
    );
    if (isFolder && !path.endsWith("/"))
      return void response.writeHead(301, { ...headers, location: `${path}/` }).end();
    const target = isFolder ? join(file, "index.html") : file;
    const body = await readFile(target).catch(() => undefined);
    if (body)
      response
        .writeHead(200, { ...headers, "content-type": types[extname(target)] ?? "application/octet-stream" })
        .end(body);
    else
      response
        .writeHead(404, { ...headers, "content-type": types[".html"]! })
        .end(await readFile(join(folder, "404.html")));
  };
}
