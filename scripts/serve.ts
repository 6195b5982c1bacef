// `npm run serve [-- --port 8081]`: public/ as the deployment serves it, with
// nginx's headers, on this machine only. One policy more keeps Matomo's
// tracker out, so that looking at the build counts no visit.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { securityHeaders } from "../lib/security-policy.ts";
import { loadSite } from "../lib/site.ts";
import { siteHandler } from "../lib/static-server.ts";

const { port } = parseArgs({ options: { port: { type: "string", default: "8081" } } }).values;
const headers = securityHeaders(loadSite("src/_data/site.json"));
const policies = [headers["Content-Security-Policy"]!, "script-src 'self'"];
const server = createServer(siteHandler("public", { ...headers, "Content-Security-Policy": policies }));
// Port 0 takes any free port: the message says which.
server.listen(Number(port), "127.0.0.1", () => {
  const url = `http://localhost:${(server.address() as AddressInfo).port}/privacy/`;
  console.log(`Serving public/ at ${url} as deployed, without Matomo's tracker. Ctrl-C stops it.`);
});
