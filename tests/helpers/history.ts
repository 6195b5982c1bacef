// The policy's versions the history tests commit, and a project to commit them in.
import { copyProject, type Project } from "./project.ts";

const form = '{% include "matomo-opt-out.njk" %}';
const policy = (front: string[], ...paragraphs: string[]) =>
  ["---", "title: Privacy policy", "history: true", ...front, "---", "", ...paragraphs.flatMap((p) => [p, ""])].join(
    "\n",
  );
// Three commits and an edit not yet committed: a first version without "updated", a commit that only rewraps and
// emphasises, a reworded version, and the edit that adds a section.
export const first = policy(
  [],
  "## Data",
  "We keep your name and your address for a year.",
  form,
  "## Contact",
  "Write to us.",
);
export const markupOnly = first.replace("your name and your address for", "your **name** and your address\nfor");
export const reworded = policy(
  ["updated: 2024-03-01"],
  "## Data",
  "We keep your name for two years.",
  form,
  "## Contact",
  "Write to us.",
);
export const edit = reworded
  .replace("2024-03-01", "2024-06-12")
  .replace("## Contact", "## Cookies\n\nWe set none.\n\n## Contact");
export const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, " ").trim();

/** A copy whose sources are committed, then its policy's texts on their days, without the project's earlier versions. */
export function historyProject(texts: [string, string][]): Project {
  const project = copyProject({ leaveOut: ["earlier-versions"] });
  project.git(["init", "--quiet", "--initial-branch=main"]);
  project.git(["add", "--all", "--", ".", ":!src/privacy.md"]);
  project.git(["commit", "--quiet", "-m", "The sources"], "2023-12-01");
  for (const [body, day] of texts) {
    project.write("src/privacy.md", body);
    project.commit(day);
  }
  return project;
}
