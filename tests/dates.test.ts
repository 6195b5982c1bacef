import assert from "node:assert/strict";
import { test } from "node:test";
import { readableDate } from "../lib/dates.ts";

test("an English date reads as Intl's en-GB long date, day by day through a leap year, in UTC", () => {
  // A build machine 14 hours east of UTC: there the last minute of each UTC day is already the next day.
  process.env.TZ = "Pacific/Kiritimati";
  const english = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });
  for (let day = Date.UTC(2024, 0, 1); day < Date.UTC(2025, 0, 1); day += 86_400_000) {
    const date = new Date(day + 86_340_000);
    assert.equal(readableDate(date, "en"), english.format(date));
  }
  assert.equal(readableDate(new Date("2025-03-05T00:00:00Z"), "sv"), "5 mars 2025");
});
