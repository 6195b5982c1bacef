// `npm run nginx-headers`: writes deploy/security-headers.conf from the site
// data, so nginx sends the same policy the pages carry. A test fails while
// the committed file differs from what this writes.
import { writeFileSync } from "node:fs";
import { nginxSecurityHeaders } from "../lib/security-policy.ts";
import { loadSite } from "../lib/site.ts";

const nginxHeadersFile = "deploy/security-headers.conf";

writeFileSync(nginxHeadersFile, nginxSecurityHeaders(loadSite()));
console.log(`Wrote ${nginxHeadersFile}.`);
