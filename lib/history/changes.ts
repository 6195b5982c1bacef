// What changed between two versions, as a reader can follow it: the changed
// headings and paragraphs, each whole, under the section they are in, with
// added words in <ins> and removed words in <del>. Underline and strike-through
// show them without colour; a hidden word announces each to screen readers.
import { diffArrays, diffWords, type ChangeObject } from "diff";
import type { Block } from "./versions.ts";

export interface BlockChange {
  /** The heading of the section the change is in, if any. */
  section?: string;
  heading: boolean;
  parts: ChangeObject<string>[];
}

/** The section each block is in: the text of the last heading before it. */
function sections(blocks: Block[]): (string | undefined)[] {
  let section: string | undefined;
  return blocks.map((block) => {
    if (!block.heading) return section;
    section = block.text;
    return undefined;
  });
}

/** Lower-case words, for telling a changed paragraph from a different one. */
const wordsOf = (text: string) => text.toLowerCase().split(/\W+/).filter(Boolean);

/** Two blocks are one paragraph (or heading), changed, when they share at least half their words. */
function samePlace(a: Block, b: Block): boolean {
  if (a.heading !== b.heading) return false;
  if (a.text === b.text) return true;
  const [wordsA, wordsB] = [wordsOf(a.text), wordsOf(b.text)];
  const counts = new Map<string, number>();
  for (const word of wordsA) counts.set(word, (counts.get(word) ?? 0) + 1);
  let shared = 0;
  for (const word of wordsB) {
    const left = counts.get(word) ?? 0;
    if (left === 0) continue;
    shared++;
    counts.set(word, left - 1);
  }
  return (2 * shared) / (wordsA.length + wordsB.length || 1) >= 0.5;
}

const whole = (text: string, how: "added" | "removed"): ChangeObject<string> => ({
  value: text,
  added: how === "added",
  removed: how === "removed",
  count: 1,
});

/** The headings and paragraphs that differ between `older` and `newer`, in the newer version's order. */
export function changesBetween(older: Block[], newer: Block[]): BlockChange[] {
  const [olderSections, newerSections] = [sections(older), sections(newer)];
  const changes: BlockChange[] = [];
  let [o, n] = [0, 0];
  for (const hunk of diffArrays(older, newer, { comparator: samePlace })) {
    for (let i = 0; i < hunk.count; i++) {
      if (hunk.removed) {
        changes.push({
          section: olderSections[o],
          heading: older[o]!.heading,
          parts: [whole(older[o]!.text, "removed")],
        });
        o++;
      } else if (hunk.added) {
        changes.push({
          section: newerSections[n],
          heading: newer[n]!.heading,
          parts: [whole(newer[n]!.text, "added")],
        });
        n++;
      } else {
        const [before, after] = [older[o++]!, newer[n++]!];
        if (before.text !== after.text)
          changes.push({
            section: newerSections[n - 1],
            heading: after.heading,
            parts: diffWords(before.text, after.text),
          });
      }
    }
  }
  return changes.filter((change) => change.parts.some((part) => part.added || part.removed));
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A change's words: plain, <ins> and <del>, each marked for screen readers. */
function partsHtml(parts: ChangeObject<string>[]): string {
  return parts
    .map((part) => {
      if (!part.added && !part.removed) return escapeHtml(part.value);
      // The spaces around the words stay outside the marks, which underline or strike words only.
      const [, before, words, after] = /^(\s*)([\s\S]*?)(\s*)$/.exec(part.value)!;
      const [tag, said] = part.added ? ["ins", "added"] : ["del", "removed"];
      return `${before}<${tag}><span class="visually-hidden">[${said}: </span>${escapeHtml(words!)}<span class="visually-hidden">]</span></${tag}>${after}`;
    })
    .join("");
}

/** The changes as a list, for the history page and the feed alike. */
export function changesHtml(changes: BlockChange[]): string {
  const items = changes.map(({ section, heading, parts }) => {
    const where = heading ? "Section title" : section ? `In “${escapeHtml(section)}”` : "Before the first section";
    return `<li><p class="change-where">${where}:</p><p class="change-text">${partsHtml(parts)}</p></li>`;
  });
  return `<ol class="changes">${items.join("")}</ol>`;
}
