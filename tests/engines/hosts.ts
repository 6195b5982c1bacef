// The hosts the Gecko and WebKit tests browse: the built site on the
// portal's real host name and the Matomo stand-in on Matomo's, served by the
// tests' HTTPS server (test-hosts.ts), reached through an HTTP proxy on
// loopback that both engines are told to use. The proxy tunnels those two
// names to the server and refuses every other, so nothing a page asks for
// leaves the machine, and no system file (/etc/hosts) or privileged port is
// needed. Tracking requests are recorded by the stand-in itself.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { loadSite } from "../../lib/site.ts";
import { matomoStandIn, type TrackingRecord } from "../../scripts/harness/matomo/stand-in.ts";
import { siteHandler } from "../../lib/static-server.ts";
import { startTestHosts } from "../../scripts/harness/test-hosts.ts";

const site = loadSite();
export const portalOrigin = site.origin;
export const matomoOrigin = site.matomo.origin;
export const privacyUrl = `${portalOrigin}${site.matomo.optOutPage}`;
export const otherPageUrl = `${portalOrigin}/404.html`;

export interface EngineHosts {
  /** The proxy's port on 127.0.0.1. */
  proxyPort: number;
  /** Every tracking request Matomo's stand-in answered, in order. */
  tracking: TrackingRecord[];
  /** Hosts the proxy refused: anything the page asked for off the machine. */
  refused: string[];
  close(): Promise<void>;
}

export async function startEngineHosts(portal: string): Promise<EngineHosts> {
  const tracking: TrackingRecord[] = [];
  const refused: string[] = [];
  const hosts = await startTestHosts({
    [matomoOrigin]: matomoStandIn((record) => tracking.push(record)),
    [portalOrigin]: siteHandler(portal),
  });
  const served = new Set([portalOrigin, matomoOrigin].map((origin) => `${new URL(origin).hostname}:443`));
  const refuse = (request: IncomingMessage, response: ServerResponse) => {
    // Plain http: nothing of the page's is served that way.
    refused.push(request.headers.host ?? "?");
    response.writeHead(403).end();
  };
  const proxy: Server = createServer(refuse);
  const tunnels = new Set<Duplex>();
  const tunnel = (request: IncomingMessage, client: Duplex) => {
    tunnels.add(client);
    client.on("close", () => tunnels.delete(client));
    const target = request.url ?? "";
    if (!served.has(target)) {
      refused.push(target);
      client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    const upstream = connect(hosts.port, "127.0.0.1", () => {
      tunnels.add(upstream);
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  };
  proxy.on("connect", tunnel);
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    proxyPort: (proxy.address() as AddressInfo).port,
    tracking,
    refused,
    async close() {
      // Tunnels left the HTTP server when they connected: it cannot close them itself.
      for (const socket of tunnels) socket.destroy();
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
      await hosts.close();
    },
  };
}
