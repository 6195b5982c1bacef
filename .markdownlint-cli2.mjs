// `npm run lint`: markdownlint over the pages, with the build's own rules and
// messages (lib/checks/markdown-rules.ts), so the two agree on every page.
import { lintOptions, lintProblem } from "./lib/checks/markdown-rules.ts";
import { formatProblem } from "./lib/checks/problems.ts";
import { loadSite } from "./lib/site.ts";

/** @param {{ results: (import("markdownlint").LintError & { fileName: string })[], logError: (text: string) => void }} options */
const asTheBuildSays = ({ results, logError }) => {
  for (const result of results) logError(formatProblem(lintProblem(result.fileName, result)));
};

export default {
  ...lintOptions(loadSite("src/_data/site.json"), "src"),
  globs: ["src/**/*.md"],
  noBanner: true,
  noProgress: true,
  outputFormatters: [[asTheBuildSays]],
};
