// Serves a built site on a loopback port, as a plain static host would:
// /privacy/ from privacy/index.html, /privacy redirected to /privacy/.
import { createServer, type Server } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import type { AddressInfo } from "node:net";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
};

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

export async function serveFolder(folder: string): Promise<StaticServer> {
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    const file = join(folder, normalize(path));
    const isFolder = await stat(file).then((s) => s.isDirectory(), () => false);
    if (isFolder && !path.endsWith("/")) {
      response.writeHead(301, { location: `${path}/` }).end();
      return;
    }
    const target = isFolder ? join(file, "index.html") : file;
    try {
      const body = await readFile(target);
      response.writeHead(200, { "content-type": types[extname(target)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
