// The Content-Security-Policy and the other security headers, from the site
// data, so the policy, the tracker and the opt-out frame agree on the one
// Matomo origin they share.
import type { Plugin } from "./eleventy.ts";
import type { MatomoSettings } from "./matomo.ts";
import type { Site } from "./site.ts";

/** `liveReload`: the dev server's reload client talks to our own origin over a WebSocket. */
export function securityPolicy(matomo: MatomoSettings, liveReload = false): string {
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

/** The headers every response carries: the page's own policy plus frame-ancestors, which browsers take only as a header. */
export function securityHeaders(site: Site): Record<string, string> {
  return {
    "Content-Security-Policy": `${securityPolicy(site.matomo)}; frame-ancestors ${site.frameAncestors.join(" ")}`,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy":
      "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    // Not "same-origin": that would cut Matomo's opt-out popup, opened from the frame, off from the frame.
    "Cross-Origin-Opener-Policy": "same-origin-allow-popups",
  };
}

/** The headers as nginx directives, `always` so that error responses carry them too. */
export function nginxSecurityHeaders(site: Site): string {
  const lines = Object.entries(securityHeaders(site)).map(([name, value]) => `add_header ${name} "${value}" always;`);
  return `# Made from src/_data/site.json by \`npm run nginx-headers\`; do not edit.\n${lines.join("\n")}\n`;
}

export const contentSecurityPolicy: Plugin<{ matomo: MatomoSettings; liveReload: boolean }> = (
  eleventyConfig,
  options,
) => eleventyConfig.addGlobalData("contentSecurityPolicy", securityPolicy(options.matomo, options.liveReload));
