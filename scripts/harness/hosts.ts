// The hosts the browsers visit: one HTTPS server on loopback that answers for
// the portal's real host name (a built site, served as nginx serves it) and
// Matomo's (the stand-in), reached through an HTTP proxy that every engine is
// pointed at. The proxy refuses any other host and records it, so nothing a
// page asks for leaves the machine; the certificate is a throwaway one, which
// the engines are told to accept.
import { execFileSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:https";
import { connect, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { securityHeaders } from "../../lib/security-policy.ts";
import type { Site } from "../../lib/site.ts";
import { siteHandler } from "../../lib/static-server.ts";
import { matomoStandIn, type MatomoTraffic } from "./matomo/stand-in.ts";

/** A self-signed certificate for `names`, made by openssl. */
function certificate(names: string[]): { key: Buffer; cert: Buffer } {
  const folder = mkdtempSync(join(tmpdir(), "privacy-tls-"));
  const [key, cert] = [join(folder, "key.pem"), join(folder, "cert.pem")];
  const altNames = `subjectAltName=${names.map((name) => `DNS:${name}`).join(",")}`;
  const args =
    "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=tests -addext".split(" ");
  try {
    execFileSync("openssl", [...args, altNames, "-keyout", key, "-out", cert], { stdio: "ignore" });
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The build in `folder` on the portal's origin and the Matomo stand-in on Matomo's, behind the proxy `proxy`. */
export async function portalHosts(folder: string, site: Site) {
  const traffic: MatomoTraffic = { frames: [], popups: [], tracking: [] };
  const [portal, matomo] = [site.origin, site.matomo.origin].map((origin) => new URL(origin).hostname) as [
    string,
    string,
  ];
  const handlers = { [portal]: siteHandler(folder, securityHeaders(site)), [matomo]: matomoStandIn(traffic) };
  const { key, cert } = certificate([portal, matomo]);
  const server = createServer({ key, cert }, (request, response) => {
    const handler = handlers[request.headers.host?.replace(/:\d+$/, "") ?? ""];
    return handler ? handler(request, response) : response.writeHead(421).end();
  });
  const refused: string[] = [];
  const sockets = new Set<Socket>();
  const proxy = createHttpServer((request, response) => [
    refused.push(`${request.headers.host}`),
    response.writeHead(403).end(),
  ]);
  proxy.on("connect", (request, client: Socket) => {
    sockets.add(client.on("error", () => client.destroy()));
    if (!(String(request.url).replace(/:443$/, "") in handlers)) {
      refused.push(String(request.url));
      return void client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
    }
    const upstream = connect((server.address() as AddressInfo).port, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream.on("error", () => client.destroy()));
  });
  for (const listener of [server, proxy])
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const spki = createHash("sha256").update(new X509Certificate(cert).publicKey.export({ type: "spki", format: "der" }));
  return {
    /** The proxy, http://127.0.0.1:<port>, and Chromium's flags for it and for the certificate. */
    proxy: url,
    chromiumArgs: [`--proxy-server=${url}`, `--ignore-certificate-errors-spki-list=${spki.digest("base64")}`],
    traffic,
    /** Hosts the proxy refused: whatever a page asked for off the machine. */
    refused,
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all([proxy, server].map((s) => new Promise((resolve) => s.close(resolve).closeAllConnections())));
    },
  };
}
