// `npm run serve`: public/ as the deployment serves it (/privacy/ from
// privacy/index.html, the 404 page, the security headers nginx sends), on
// this machine only. Opened as a file, the page is unstyled: its URLs start
// at /. One header more than nginx sends blocks Matomo's matomo.js, so
// looking at the build does not count as a visit to the portal.
//
//   npm run serve [-- --port 8081 --folder public]
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { siteHandler } from "../lib/static-server.ts";

const { values } = parseArgs({
  options: { port: { type: "string", default: "8081" }, folder: { type: "string", default: "public" } },
});
const { port, folder } = values;
if (!existsSync(join(folder, "privacy", "index.html"))) {
  console.error(`${folder}/ holds no build: run npm run build first.`);
  process.exit(1);
}
// Scripts from this origin only: the page's own run, Matomo's tracker does not.
const server = createServer(siteHandler(folder, "script-src 'self'"));
// Port 0 asks the system for a free port: the message says which it gave.
server.listen(Number(port), "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(
    `Serving ${folder}/ at http://localhost:${port}/privacy/ as deployed, without Matomo's tracker. Ctrl-C stops it.`,
  );
});
