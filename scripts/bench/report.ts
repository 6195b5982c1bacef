// The benchmark's report, BENCHMARK.md, made from its figures alone, so a
// test can check it on figures of its own. scripts/bench.ts measures them.

export interface Run {
  seconds: number;
  peakMb: number;
}

/** What the browser fetched from our origin, with the bytes each costs (gzip -6 for text, as sent for the rest). */
export interface Fetched {
  path: string;
  bytes: number;
}

export interface View {
  ours: Fetched[];
  otherOrigins: string[];
}

export interface ThemeWeight {
  firstView: View;
  wholePage: View;
  layoutShift: number;
}

export interface Figures {
  /** The day of the run, YYYY-MM-DD. */
  date: string;
  machine: string;
  /** What `npm run build` runs, as the report names it. */
  buildCommand: string;
  runs: number;
  sizes: { pages: number; ours: Run; floor: Run }[];
  /** Milliseconds from saving an edit until the rebuilt page is written, in watch mode. */
  latencies: number[];
  weight: Record<string, ThemeWeight>;
  /** The one-page build with the policy's history (this many versions in git) and without it. */
  history: { versions: number; runs: number; with: Run; without: Run };
}

/** The sizes the full report measures: `npm run bench` with no options. */
export const fullRunPages = [1, 100, 1000, 4000];

export const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const matomoOrigin = "https://matomo.dc.scilifelab.se";
// The live page, measured for the issue that set these budgets: 18 requests, 363 KB, before Google Fonts.
const live = { requests: 18, bytes: 363 * 1024 };
/** Build time and memory against the floor: at most these ratios, at these sizes. */
const ratioLimits = [
  [1, 1.2],
  [100, 1.2],
  [4000, 1.25],
] as const;

const fixed = (n: number, digits = 2) => n.toFixed(digits);
const kb = (bytes: number) => `${fixed(bytes / 1024, 1)} KB`;
const ratio = (a: number, b: number) => fixed(a / b);
const mark = (ok: boolean) => (ok ? "met" : "**missed**");
const sum = (view: View) => view.ours.reduce((total, file) => total + file.bytes, 0);

export function benchmarkReport({
  date,
  machine,
  buildCommand,
  runs,
  sizes,
  latencies,
  weight,
  history,
}: Figures): string {
  const historyCost = history.with.seconds / history.without.seconds - 1;
  const table = [
    "| pages | ours (s) | floor (s) | ours / floor, time | ours ms/page | ours peak (MB) | floor peak (MB) | ours / floor, memory |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...sizes.map(
      ({ pages, ours, floor }) =>
        `| ${pages} | ${fixed(ours.seconds)} | ${fixed(floor.seconds)} | ${ratio(ours.seconds, floor.seconds)} | ${fixed((ours.seconds * 1000) / pages, 1)} | ${fixed(ours.peakMb, 0)} | ${fixed(floor.peakMb, 0)} | ${ratio(ours.peakMb, floor.peakMb)} |`,
    ),
  ].join("\n");
  const weightTable = [
    "| theme, view | requests to our origin | bytes from our origin | layout shift | other origins |",
    "| --- | ---: | ---: | ---: | --- |",
    ...Object.entries(weight).flatMap(([theme, { firstView, wholePage, layoutShift }]) => [
      `| ${theme}, first view | ${firstView.ours.length} | ${kb(sum(firstView))} | | ${firstView.otherOrigins.join(", ")} |`,
      `| ${theme}, whole page | ${wholePage.ours.length} | ${kb(sum(wholePage))} | ${layoutShift} | ${wholePage.otherOrigins.join(", ")} |`,
    ]),
    `| the live page (for comparison) | ${live.requests} | ${kb(live.bytes)} | | 3 more (jsDelivr, Google Fonts) |`,
  ].join("\n");
  const themes = Object.values(weight);
  const fileTable = [
    "| file (light, whole page) | bytes |",
    "| --- | ---: |",
    ...(weight.light?.wholePage.ours ?? []).map(
      (file) => `| ${file.path.replace(/\.[0-9a-f]{10}\./, ".*.")} | ${file.bytes} B |`,
    ),
  ].join("\n");
  const heaviest = themes.reduce((a, b) => (sum(a.wholePage) > sum(b.wholePage) ? a : b));
  const firstHeaviest = Math.max(...themes.map((w) => sum(w.firstView)));
  const mostRequests = Math.max(...themes.map((w) => w.wholePage.ours.length));
  const otherOrigins = [...new Set(themes.flatMap((w) => w.wholePage.otherOrigins))];
  const watchMedian = median(latencies);
  const ratioTargets = ratioLimits.flatMap(([pages, limit]) => {
    const size = sizes.find((s) => s.pages === pages);
    if (!size) return [`| ours / floor at ${pages} page(s) ≤ ${limit} | not measured in this run | |`];
    const time = size.ours.seconds / size.floor.seconds;
    const memory = size.ours.peakMb / size.floor.peakMb;
    // A third digit, so that a ratio just over its limit does not read as equal to it.
    return [
      `| ours / floor at ${pages} page(s), time ≤ ${limit} | ${fixed(time, 3)} | ${mark(time <= limit)} |`,
      `| ours / floor at ${pages} page(s), memory ≤ ${limit} | ${fixed(memory, 3)} | ${mark(memory <= limit)} |`,
    ];
  });
  const targets = [
    ...ratioTargets,
    `| rebuild after an edit, watch mode, < 150 ms | ${fixed(watchMedian, 0)} ms | ${mark(watchMedian < 150)} |`,
    `| one-page build with ${history.versions} versions of history, added time ≤ 25 % | ${fixed(historyCost * 100, 1)} % | ${mark(historyCost <= 0.25)} |`,
    `| first view at 1280 × 900, bytes from our origin ≤ 64 KB | ${kb(firstHeaviest)} | ${mark(firstHeaviest <= 64 * 1024)} |`,
    `| whole page, bytes from our origin ≤ 100 KB | ${kb(sum(heaviest.wholePage))} | ${mark(sum(heaviest.wholePage) <= 100 * 1024)} |`,
    `| whole page, requests to our origin ≤ 12 | ${mostRequests} | ${mark(mostRequests <= 12)} |`,
    `| whole page against the live page's ${kb(live.bytes)} | ${ratio(sum(heaviest.wholePage), live.bytes)} | |`,
    ...Object.entries(weight).map(
      ([theme, w]) => `| layout shift while loading, ${theme} = 0 | ${w.layoutShift} | ${mark(w.layoutShift === 0)} |`,
    ),
    `| other origins: Matomo's only | ${otherOrigins.join(", ")} | ${mark(otherOrigins.every((o) => o === matomoOrigin))} |`,
  ].join("\n");

  return `# Benchmark

Made by \`npm run bench\` on ${date}, on ${machine}.
Each figure is the median of ${runs} run(s), ours and the floor alternating.
Wall time includes starting Node; peak memory is the build process's peak
resident set.

- **ours**: \`npm run build\`'s command (\`${buildCommand}\`): the
  page checks (front matter, raw HTML, headings, links, the opt-out form),
  markdown-it, the layout, hashed assets, portal links and minification.
  Node runs our TypeScript as it is, stripping the types. An untimed first
  build makes the images, font and minified pages it keeps in \`.cache/\`,
  which every build after the first reuses (BENCHMARK.md's last section
  gives cold figures).
- **floor**: bare Eleventy 3 with a plain JavaScript config
  (\`scripts/bench/floor.eleventy.mjs\`), the same pages and layout, no
  loader, checks or minification.

## Build time and memory

${table}

## Rebuild in watch mode

From saving an edit to \`src/privacy.md\` until \`privacy/index.html\` is
rewritten, with \`npm start\`'s watcher: median ${fixed(watchMedian, 0)} ms over
${latencies.length} edit(s) (${latencies.map((l) => fixed(l, 0)).join(", ")} ms).

## The policy's history

The one-page site in a git repository whose \`src/privacy.md\` has
${history.versions} versions, built with its history (the history page, ${history.versions - 1}
earlier versions and the feed: ${history.versions + 1} more files) and, the same repository,
without it (\`history: true\` taken out): ${fixed(history.with.seconds)} s against
${fixed(history.without.seconds)} s, ${fixed(historyCost * 100, 1)} % more (medians of
${history.runs} builds of each, alternating: a difference of a fifth between
builds of a second needs more runs than the other figures on this noisy machine).

## Page weight

In Chromium at 1280 × 900, light and dark: the first view (nothing
scrolled; lazy images below it not yet fetched) and the whole page after
scrolling to its end. Bytes are gzip -6 for text (HTML, CSS, scripts, SVG)
and as sent for fonts and images; Matomo's frame and tracker are on
Matomo's origin and not counted.

${weightTable}

${fileTable}

## Targets

| target | measured | |
| --- | ---: | --- |
${targets}
`;
}

/** What follows this marker in BENCHMARK.md is written by hand (where the time goes, what was tried), and kept. */
export const handWrittenMarker = "<!-- Written by hand below: npm run bench keeps it. -->";

/** The new report with the hand-written part of the previous one after it. */
export function withHandWritten(report: string, previous: string): string {
  const at = previous.indexOf(handWrittenMarker);
  return at === -1 ? report : `${report}\n${previous.slice(at)}`;
}
