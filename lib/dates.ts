// Dates as the page shows them. Always in UTC: the date a YAML file gives
// must not move a day with the build machine's time zone.
import type { Plugin } from "./eleventy.ts";

/** 2024-06-12, for <time datetime>. */
export const isoDate = (date: Date): string => date.toISOString().slice(0, 10);

const englishMonths = [
  ...["January", "February", "March", "April", "May", "June"],
  ...["July", "August", "September", "October", "November", "December"],
];
// One formatter per language: making one costs more than rendering a page.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** 5 March 2025: day-month-year, as the portal writes dates in English. */
export function readableDate(date: Date, lang: string): string {
  // English, the site's language, without Intl: a process's first formatter loads Node's locale data, a cost
  // every build would pay (tests/dates.test.ts holds this to Intl's en-GB).
  if (lang === "en") return `${date.getUTCDate()} ${englishMonths[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
  let formatter = formatters.get(lang);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" });
    formatters.set(lang, formatter);
  }
  return formatter.format(date);
}

export const dateFilters: Plugin = (eleventyConfig) => {
  eleventyConfig.addFilter("isoDate", isoDate);
  eleventyConfig.addFilter("readableDate", readableDate);
};
