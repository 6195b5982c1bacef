// The hosts the browsers visit: one HTTPS server on loopback that answers for
// real host names (the portal's, Matomo's), reached through an HTTP proxy that
// every engine is pointed at. The proxy refuses any other host and records it,
// so nothing a page asks for leaves the machine; the certificate is a
// throwaway one, which the engines are told to accept.
import { execFileSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type RequestListener } from "node:http";
import { createServer } from "node:https";
import { connect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { securityHeaders } from "../../lib/security-policy.ts";
import type { Site } from "../../lib/site.ts";
import { siteHandler } from "../../lib/static-server.ts";
import { matomoStandIn, type MatomoTraffic } from "./matomo/stand-in.ts";

export interface Hosts {
  /** http://127.0.0.1:<port>, the proxy. */
  proxy: string;
  /** Chromium's flags for the proxy and the certificate. */
  chromiumArgs: string[];
  /** Hosts the proxy refused: whatever a page asked for off the machine. */
  refused: string[];
  close(): Promise<void>;
}

/** A self-signed certificate for `names`, made by openssl. */
function certificate(names: string[]): { key: Buffer; cert: Buffer } {
  const folder = mkdtempSync(join(tmpdir(), "privacy-tls-"));
  const [key, cert] = [join(folder, "key.pem"), join(folder, "cert.pem")];
  const subject = ["-subj", "/CN=tests", "-addext", `subjectAltName=${names.map((name) => `DNS:${name}`).join(",")}`];
  const args = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"];
  try {
    execFileSync("openssl", [...args, ...subject, "-keyout", key, "-out", cert], { stdio: "ignore" });
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Serves each origin of `sites` (such as https://matomo.dc.scilifelab.se) with its handler. */
export async function startHosts(sites: Record<string, RequestListener>): Promise<Hosts> {
  const byName = new Map(Object.entries(sites).map(([origin, handler]) => [new URL(origin).hostname, handler]));
  const { key, cert } = certificate([...byName.keys()]);
  const server = createServer({ key, cert }, (request, response) =>
    (byName.get(request.headers.host?.replace(/:\d+$/, "") ?? "") ?? ((_, res) => res.writeHead(421).end()))(
      request,
      response,
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const refused: string[] = [];
  const sockets = new Set<Duplex>();
  const proxy = createHttpServer((request, response) => {
    refused.push(request.headers.host ?? "?");
    response.writeHead(403).end();
  });
  proxy.on("connect", (request, client: Duplex) => {
    sockets.add(client).add(client.on("error", () => client.destroy()));
    if (!byName.has(String(request.url).replace(/:443$/, ""))) {
      refused.push(String(request.url));
      return void client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
    }
    const upstream = connect((server.address() as AddressInfo).port, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream.on("error", () => client.destroy()));
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const spki = createHash("sha256")
    .update(new X509Certificate(cert).publicKey.export({ type: "spki", format: "der" }))
    .digest("base64");
  return {
    proxy: proxyUrl,
    chromiumArgs: [`--proxy-server=${proxyUrl}`, `--ignore-certificate-errors-spki-list=${spki}`],
    refused,
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all([proxy, server].map((s) => new Promise((resolve) => s.close(resolve).closeAllConnections())));
    },
  };
}

/** The hosts a browser visits: the build in `folder` on the portal's origin, as nginx serves it, and the Matomo stand-in. */
export async function portalHosts(folder: string, site: Site): Promise<Hosts & { traffic: MatomoTraffic }> {
  const traffic: MatomoTraffic = { frames: [], popups: [], tracking: [] };
  const handlers = {
    [site.origin]: siteHandler(folder, securityHeaders(site)),
    [site.matomo.origin]: matomoStandIn(traffic),
  };
  return { ...(await startHosts(handlers)), traffic };
}
