// The Content-Security-Policy and the other security headers, derived from
// the site data so the policy, the tracker and the opt-out frame always agree
// on the one Matomo origin they share.
import type { Plugin } from "./eleventy.ts";
import type { MatomoSettings } from "./matomo.ts";
import type { Site } from "./site.ts";

export interface PolicyOptions {
  matomo: MatomoSettings;
  /** The dev server's live reload talks to our own origin over a WebSocket. */
  liveReload: boolean;
}

export function securityPolicy({ matomo, liveReload }: PolicyOptions): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'none'"],
    "script-src": ["'self'", matomo.origin],
    "style-src": ["'self'"],
    "font-src": ["'self'"],
    "img-src": ["'self'", matomo.origin],
    "connect-src": liveReload ? ["'self'", matomo.origin] : [matomo.origin],
    "frame-src": [matomo.origin],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}

/**
 * The headers the server sends with every response. The policy is the page's
 * own plus frame-ancestors, which browsers honour only as a header.
 */
export function securityHeaders(site: Site): Record<string, string> {
  return {
    "Content-Security-Policy": `${securityPolicy({ matomo: site.matomo, liveReload: false })}; frame-ancestors ${site.frameAncestors.join(" ")}`,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy":
      "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    // Not "same-origin": that cuts Matomo's opt-out popup, opened from the frame,
    // off from the frame, so the frame warns that the popup was blocked and
    // keeps a spent nonce, and opting back in then fails. Popups keep their
    // opener; any other window that opens this page still cannot reach it.
    "Cross-Origin-Opener-Policy": "same-origin-allow-popups",
  };
}

/** The headers as nginx directives, `always` so error responses get them too. */
export function nginxSecurityHeaders(site: Site): string {
  const lines = Object.entries(securityHeaders(site)).map(([name, value]) => `add_header ${name} "${value}" always;`);
  return `# Made from src/_data/site.json by \`npm run nginx-headers\`; do not edit.\n${lines.join("\n")}\n`;
}

export const contentSecurityPolicy: Plugin<PolicyOptions> = (eleventyConfig, options) => {
  eleventyConfig.addGlobalData("contentSecurityPolicy", securityPolicy(options));
};
