// The Content-Security-Policy, derived from the Matomo settings so the policy,
// the tracker and the opt-out frame always agree on the one origin they share.
import type { Plugin } from "./eleventy.ts";
import type { MatomoSettings } from "./matomo.ts";

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

export const contentSecurityPolicy: Plugin<PolicyOptions> = (eleventyConfig, options) => {
  eleventyConfig.addGlobalData("contentSecurityPolicy", securityPolicy(options));
};
