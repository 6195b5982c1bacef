// `npm run nginx-headers`: deploy/security-headers.conf from the site data, so
// nginx sends the policy the pages carry (a test fails while the two differ).
import { writeFileSync } from "node:fs";
import { nginxSecurityHeaders } from "../lib/security-policy.ts";
import { loadSite } from "../lib/site.ts";

writeFileSync("deploy/security-headers.conf", nginxSecurityHeaders(loadSite("src/_data/site.json")));
console.log("Wrote deploy/security-headers.conf.");
