// One HTTPS server on loopback that answers for real host names: the
// portal's (the built site) and Matomo's (the stand-in). Chromium resolves
// those names to it (--host-resolver-rules) and trusts its throwaway
// certificate by its key alone, so pages, frames, popups and cookies behave
// as on the real hosts, on the same site, without the network.
import { execFileSync } from "node:child_process";
import { X509Certificate, createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { RequestListener } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestHosts {
  /** The loopback port of the HTTPS server. */
  port: number;

  /** Chromium's flags that send the hosts' names here, no other name anywhere, and accept the certificate. */
  chromiumArgs: string[];
  close(): Promise<void>;
}

/** A self-signed certificate for `names`, made with openssl; its files are removed once read. */
function certificate(names: string[]): { key: Buffer; cert: Buffer } {
  const folder = mkdtempSync(join(tmpdir(), "privacy-tls-"));
  const [key, cert] = [join(folder, "key.pem"), join(folder, "cert.pem")];
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=privacy page tests",
        "-addext",
        `subjectAltName=${names.map((name) => `DNS:${name}`).join(",")}`,
        "-keyout",
        key,
        "-out",
        cert,
      ],
      { stdio: "ignore" },
    );
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Serves each origin in `hosts` (such as https://matomo.dc.scilifelab.se) with its handler. */
export async function startTestHosts(hosts: Record<string, RequestListener>): Promise<TestHosts> {
  const byName = new Map(Object.entries(hosts).map(([origin, handler]) => [new URL(origin).hostname, handler]));
  const { key, cert } = certificate([...byName.keys()]);
  const server = createServer({ key, cert }, (request, response) => {
    const handler = byName.get((request.headers.host ?? "").replace(/:\d+$/, ""));
    if (handler) handler(request, response);
    else response.writeHead(421).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const publicKey = new X509Certificate(cert).publicKey.export({ type: "spki", format: "der" });
  return {
    port,
    chromiumArgs: [
      // Every other name fails to resolve at once: nothing a page asks for leaves the machine (localhost and 127.0.0.1 are the dev server's and nginx's).
      `--host-resolver-rules=${[...[...byName.keys()].map((name) => `MAP ${name} 127.0.0.1:${port}`), "MAP * ~NOTFOUND", "EXCLUDE localhost", "EXCLUDE 127.0.0.1"].join(", ")}`,
      `--ignore-certificate-errors-spki-list=${createHash("sha256").update(publicKey).digest("base64")}`,
    ],
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
