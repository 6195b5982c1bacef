// Builds the site into a temporary folder (never the working public/) and
// parses its pages with a real HTML parser.
import { chmod, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseHTML } from "linkedom";
import { build } from "../../lib/build.ts";

export interface BuiltSite {
  folder: string;
  read(path: string): Promise<string>;
  document(path: string): Promise<Document>;
}

export async function buildSite(input = "src"): Promise<BuiltSite> {
  const parent = await mkdtemp(join(tmpdir(), "privacy-test-"));
  await chmod(parent, 0o755); // for nginx's unprivileged worker
  const folder = join(parent, "public");
  await build({ input, output: folder });
  const read = (path: string) => readFile(join(folder, path), "utf8");
  return { folder, read, document: async (path) => parseHTML(await read(path)).document };
}

/** Text as a reader meets it: runs of white space made one space. */
export const normalText = (text: string | null | undefined) => (text ?? "").replace(/\s+/g, " ").trim();
