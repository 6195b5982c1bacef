// Roboto, the portal's typeface, served from our own origin: never from
// Google, which would hand every visitor's IP address to Google. The
// variable font from @fontsource-variable/roboto is cut down with
// subset-font (HarfBuzz) to the characters a Latin-script page uses and to
// the weights the portal uses (400 to 700): 43 KB become about 23 KB.
// The subset is kept under .cache/fonts/, named by a hash of its inputs, so
// only the first build pays for it.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { hashOf, writeAtomically } from "./build-cache.ts";

/** Printable ASCII, the letters of Latin-1 (å, ä, ö, é, ü, ...) and typographic punctuation (– — ‘ ’ “ ” • …). */
export const fontCharacters: [number, number][] = [
  [0x20, 0x7e],
  [0xa0, 0xa0],
  [0xc0, 0xff],
  [0x2013, 0x2014],
  [0x2018, 0x201d],
  [0x2022, 0x2022],
  [0x2026, 0x2026],
];
const weights = { min: 400, max: 700 };

const hex = (code: number) => code.toString(16).toUpperCase();
const unicodeRange = fontCharacters
  .map(([from, to]) => (from === to ? `U+${hex(from)}` : `U+${hex(from)}-${hex(to)}`))
  .join(",");

/** The subset of Roboto, as WOFF2. */
export async function robotoSubset(cache: string): Promise<Buffer> {
  const source = createRequire(import.meta.url).resolve(
    "@fontsource-variable/roboto/files/roboto-latin-wght-normal.woff2",
  );
  const font = await readFile(source);
  const text = fontCharacters
    .flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i)))
    .join("");
  const cached = join(cache, `roboto-${hashOf(font, text, JSON.stringify(weights))}.woff2`);
  if (existsSync(cached)) return readFile(cached);
  const { default: subsetFont } = await import("subset-font");
  const subset = await subsetFont(font, text, { targetFormat: "woff2", variationAxes: { wght: weights } });
  await writeAtomically(cached, subset);
  return subset;
}

/**
 * The @font-face rules for Roboto at `url`, and a fallback that is Arial
 * (Liberation Sans on Linux) scaled to Roboto's metrics: Roboto's ascender
 * 1900, descender 500 and no line gap at 2048 units a em, and its average
 * width against Arial's.
 *
 * font-display is optional, not swap: the page preloads the font, and the
 * browser holds the first paint for it a moment; a font that comes later is
 * used from the next page on. With swap, a late Roboto moved the text: the
 * two fonts' widths differ word by word (the right-aligned header links moved
 * 3 px; layout shift 0.0009), and no fallback metrics can match every word.
 */
export function fontFaceCss(url: string): string {
  return `@font-face{font-family:Roboto;font-style:normal;font-weight:${weights.min} ${weights.max};font-display:optional;src:url(${url}) format("woff2");unicode-range:${unicodeRange}}
@font-face{font-family:"Roboto Fallback";src:local("Arial"),local("Liberation Sans"),local("Helvetica");ascent-override:92.77%;descent-override:24.41%;line-gap-override:0%;size-adjust:100.3%}
`;
}
