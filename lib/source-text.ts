// Reads a source file (page, site data, stylesheet) as UTF-8 text, refusing
// anything else. Node's decoder would quietly turn a Latin-1 "å" into U+FFFD,
// and the page would publish the damage; a UTF-8 byte-order mark is dropped,
// as editors expect.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { isUtf8 } from "node:buffer";
import { SourceError } from "./source-error.ts";

const utf8Bom = [0xef, 0xbb, 0xbf];
const newline = 0x0a;

const saveAsUtf8 =
  'reopen the file in its real encoding and save it as "UTF-8" (in VS Code: "Reopen with Encoding", then "Save with Encoding"), then build again.';

/** The text of `bytes`, or a SourceError naming `file` and the line of the first byte that is not UTF-8. */
export function decodeSourceText(bytes: Uint8Array, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new SourceError(
      file,
      1,
      "not UTF-8: the file is saved as UTF-16 (it starts with a UTF-16 byte-order mark).",
      saveAsUtf8,
    );
  }
  if (!isUtf8(bytes)) {
    // A newline byte is never part of a longer UTF-8 sequence, so each line can be checked alone.
    let line = 1;
    for (let start = 0; start < bytes.length; line++) {
      const end = bytes.indexOf(newline, start);
      const stop = end === -1 ? bytes.length : end;
      const lineBytes = bytes.subarray(start, stop);
      if (!isUtf8(lineBytes)) {
        // Everything before the first replacement character decoded cleanly, so its length in bytes finds the bad byte.
        const decoded = Buffer.from(lineBytes).toString("utf8");
        const column = decoded.indexOf("\uFFFD");
        const bad = lineBytes[Buffer.byteLength(decoded.slice(0, column))] ?? 0;
        throw new SourceError(
          file,
          line,
          `not UTF-8: byte 0x${bad.toString(16).toUpperCase().padStart(2, "0")} at column ${column + 1} is not part of a UTF-8 character; a file saved as Latin-1 or Windows-1252 looks like this, and the page would show \uFFFD in place of letters such as å, ä and ö.`,
          saveAsUtf8,
        );
      }
      start = stop + 1;
    }
  }
  const hasBom = utf8Bom.every((byte, i) => bytes[i] === byte);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8", hasBom ? 3 : 0);
}

export async function readSourceText(file: string): Promise<string> {
  return decodeSourceText(await readFile(file), file);
}

export function readSourceTextSync(file: string): string {
  return decodeSourceText(readFileSync(file), file);
}
