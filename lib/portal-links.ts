// Links like /contact point at portal pages this build does not make. They
// become absolute on the portal's origin, so they work on the dev server and
// on any preview host as well as on the portal. Links to pages this build
// does make stay relative, take the page's canonical URL (/privacy becomes
// /privacy/) and are marked aria-current where they point at the page itself.
import type { Plugin } from "./eleventy.ts";

export interface LinkContext {
  origin: string;
  builtUrls: ReadonlySet<string>;
  currentUrl: string | false;
}

const rootRelativeHref = /<a\b([^>]*?)\shref="(\/(?!\/)[^"#?]*)([^"]*)"([^>]*)>/g;

export function resolvePortalLinks(html: string, { origin, builtUrls, currentUrl }: LinkContext): string {
  return html.replace(rootRelativeHref, (_tag, before: string, path: string, suffix: string, after: string) => {
    const url = [path, path.endsWith("/") ? path.slice(0, -1) : `${path}/`].find((candidate) =>
      builtUrls.has(candidate),
    );
    if (url === undefined) return `<a${before} href="${origin}${path}${suffix}"${after}>`;
    const current =
      url === currentUrl && suffix === "" && !after.includes("aria-current") ? ' aria-current="page"' : "";
    return `<a${before} href="${url}${suffix}"${current}${after}>`;
  });
}

export const portalLinks: Plugin<{ origin: string }> = (eleventyConfig, { origin }) => {
  let builtUrls = new Set<string>();
  eleventyConfig.on("eleventy.contentMap", ({ urlToInputPath }) => {
    builtUrls = new Set(Object.keys(urlToInputPath));
  });
  eleventyConfig.addTransform("portal-links", function (content) {
    if (!this.page.outputPath || !this.page.outputPath.endsWith(".html")) return content;
    return resolvePortalLinks(content, { origin, builtUrls, currentUrl: this.page.url });
  });
};
