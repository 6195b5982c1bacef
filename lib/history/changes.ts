// What changed between two versions, as a reader can follow it: each changed
// heading or paragraph whole, under the section it is in, with added words in
// <ins> and removed ones in <del>. Underline and strike-through show them
// without colour; a hidden word announces each to screen readers.
import { diffArrays, diffWords, type ChangeObject } from "diff";
import type { Block } from "./versions.ts";

const wordsOf = (text: string) => text.toLowerCase().split(/\W+/).filter(Boolean);

/** Two blocks are one paragraph (or heading), changed, when they share at least half their words. */
function samePlace(a: Block, b: Block): boolean {
  if (a.heading !== b.heading) return false;
  if (a.text === b.text) return true;
  const left = new Map<string, number>();
  for (const word of wordsOf(a.text)) left.set(word, (left.get(word) ?? 0) + 1);
  let shared = 0;
  for (const word of wordsOf(b.text)) if ((left.get(word) ?? 0) > 0) (left.set(word, left.get(word)! - 1), shared++);
  return (2 * shared) / (wordsOf(a.text).length + wordsOf(b.text).length || 1) >= 0.5;
}

/** The section each block is in: the words of the last heading before it. */
function sections(blocks: Block[]): (string | undefined)[] {
  let section: string | undefined;
  return blocks.map((block) => (block.heading ? ((section = block.text), undefined) : section));
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A change's words, plain, <ins> and <del>; the spaces around marked words stay outside the marks. */
const partsHtml = (parts: ChangeObject<string>[]) =>
  parts
    .map(({ value, added, removed }) => {
      if (!added && !removed) return escapeHtml(value);
      const [, before, words, after] = /^(\s*)([\s\S]*?)(\s*)$/.exec(value)!;
      const [tag, said] = added ? ["ins", "added"] : ["del", "removed"];
      return `${before}<${tag}><span class="visually-hidden">[${said}: </span>${escapeHtml(words!)}<span class="visually-hidden">]</span></${tag}>${after}`;
    })
    .join("");

const memo = new Map<string, string>();

/** The changes from `older` to `newer` as an HTML list, for the history page and the feed alike; worked out once per pair. */
export function changesHtml(older: Block[], newer: Block[]): string {
  const key = JSON.stringify([older, newer]);
  if (memo.has(key)) return memo.get(key)!;
  const [olderSections, newerSections] = [sections(older), sections(newer)];
  const items: string[] = [];
  const item = (section: string | undefined, heading: boolean, parts: ChangeObject<string>[]) => {
    if (!parts.some((part) => part.added || part.removed)) return;
    const where = heading ? "Section title" : section ? `In “${escapeHtml(section)}”` : "Before the first section";
    items.push(`<li><p class="change-where">${where}:</p><p class="change-text">${partsHtml(parts)}</p></li>`);
  };
  const whole = (block: Block, added: boolean) => [{ value: block.text, added, removed: !added, count: 1 }];
  let [o, n] = [0, 0];
  for (const hunk of diffArrays(older, newer, { comparator: samePlace })) {
    for (let i = 0; i < hunk.count; i++) {
      if (hunk.removed) item(olderSections[o], older[o]!.heading, whole(older[o++]!, false));
      else if (hunk.added) item(newerSections[n], newer[n]!.heading, whole(newer[n++]!, true));
      else item(newerSections[n], newer[n]!.heading, diffWords(older[o++]!.text, newer[n++]!.text));
    }
  }
  const html = `<ol class="changes">${items.join("")}</ol>`;
  // Bounded: a long preview session makes a pair at every save.
  if (memo.size > 500) memo.clear();
  memo.set(key, html);
  return html;
}
