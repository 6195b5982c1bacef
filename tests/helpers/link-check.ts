// Checks every href, src and srcset in a built site without the network:
// files of the build exist, fragments name an existing id, absolute links
// are well-formed https: URLs or mail addresses (mailto:).
import { statSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { parseHTML } from "linkedom";

const here = "https://site.invalid";

/** Where a URL path of the site is read from: /privacy/ and /privacy both from privacy/index.html. */
function fileFor(folder: string, pathname: string): string | undefined {
  const path = join(folder, decodeURIComponent(pathname));
  const candidates = pathname.endsWith("/") ? [join(path, "index.html")] : [path, join(path, "index.html")];
  return candidates.find((file) => statSync(file, { throwIfNoEntry: false })?.isFile());
}

function urlsIn(document: Document): string[] {
  const urls: string[] = [];
  for (const element of document.querySelectorAll("[href], [src], [srcset]")) {
    for (const name of ["href", "src"]) {
      const value = element.getAttribute(name);
      if (value !== null) urls.push(value);
    }
    const srcset = element.getAttribute("srcset");
    if (srcset) urls.push(...srcset.split(",").map((candidate) => candidate.trim().split(/\s+/)[0]!));
  }
  return urls;
}

export async function findBrokenLinks(folder: string): Promise<string[]> {
  const pages = (await readdir(folder, { recursive: true })).filter((file) => file.endsWith(".html"));
  const ids = new Map<string, Set<string>>();
  const idsIn = async (file: string) => {
    if (!ids.has(file)) {
      const { document } = parseHTML(await readFile(file, "utf8"));
      ids.set(file, new Set([...document.querySelectorAll("[id]")].map((element) => element.id)));
    }
    return ids.get(file)!;
  };

  const broken: string[] = [];
  for (const page of pages) {
    const pageUrl = `/${page}`.replace(/index\.html$/, "");
    const { document } = parseHTML(await readFile(join(folder, page), "utf8"));
    for (const raw of urlsIn(document)) {
      let url: URL;
      try {
        url = new URL(raw, here + pageUrl);
      } catch {
        broken.push(`${page}: malformed URL ${raw}`);
        continue;
      }
      if (url.protocol === "mailto:") {
        if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(decodeURIComponent(url.pathname)))
          broken.push(`${page}: malformed mail address ${raw}`);
        continue;
      }
      if (url.origin !== here) {
        if (url.protocol !== "https:") broken.push(`${page}: not https: ${raw}`);
        else if (!url.hostname.includes(".") || raw !== raw.trim() || /\s/.test(raw))
          broken.push(`${page}: malformed URL ${raw}`);
        continue;
      }
      const file = fileFor(folder, url.pathname);
      if (!file) {
        broken.push(`${page}: no file for ${raw}`);
        continue;
      }
      const fragment = decodeURIComponent(url.hash.slice(1));
      if (fragment && !(await idsIn(file)).has(fragment)) broken.push(`${page}: no id "${fragment}" for ${raw}`);
    }
  }
  return broken;
}
