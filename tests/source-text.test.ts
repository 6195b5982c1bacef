// Source files must be UTF-8: anything else stops the build on the line of
// the first bad byte, instead of publishing replacement characters.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SourceError } from "../lib/source-error.ts";
import { decodeSourceText } from "../lib/source-text.ts";

const latin1 = (text: string) => Buffer.from(text, "latin1");
const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
const utf16be = (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]);

function refused(bytes: Uint8Array): SourceError {
  try {
    decodeSourceText(bytes, "src/privacy.md");
  } catch (error) {
    assert.ok(error instanceof SourceError);
    return error;
  }
  assert.fail("the text was accepted");
}

describe("source text", () => {
  test("UTF-8 is read as it is, Swedish letters and CRLF line endings included", () => {
    assert.equal(
      decodeSourceText(Buffer.from("---\r\ntitle: Om portalen\r\n---\r\nå ä ö\r\n"), "f"),
      "---\r\ntitle: Om portalen\r\n---\r\nå ä ö\r\n",
    );
  });

  test("a UTF-8 byte-order mark is dropped", () => {
    assert.equal(decodeSourceText(Buffer.from("\uFEFF---\ntitle: x\n"), "f"), "---\ntitle: x\n");
  });

  test("Latin-1 is refused on the line and column of its first non-ASCII byte", () => {
    const error = refused(latin1("---\ntitle: Integritet\n---\n\nÖppna länken\n"));
    assert.equal(error.line, 5);
    assert.match(error.message, /^src\/privacy\.md:5: not UTF-8: byte 0xD6 at column 1 /);
    assert.match(error.fix, /save it as "UTF-8"/);
  });

  test("the bad byte is found after valid UTF-8 on the same line", () => {
    const bytes = Buffer.concat([Buffer.from("Café "), latin1("and smörgås\n")]);
    const error = refused(bytes);
    assert.equal(error.line, 1);
    assert.match(error.problem, /byte 0xF6 at column 12 /);
  });

  test("Windows-1252 punctuation is refused too", () => {
    const error = refused(Buffer.from([0x61, 0x0a, 0x93, 0x71, 0x94, 0x0a]));
    assert.equal(error.line, 2);
    assert.match(error.problem, /byte 0x93/);
  });

  test("UTF-16 with either byte-order mark is refused on line 1", () => {
    for (const bytes of [utf16le("---\ntitle: x\n---\n"), utf16be("---\ntitle: x\n---\n")]) {
      const error = refused(bytes);
      assert.equal(error.line, 1);
      assert.match(error.problem, /^not UTF-8: the file is saved as UTF-16/);
    }
  });
});
