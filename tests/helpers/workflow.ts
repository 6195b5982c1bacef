// A GitHub Actions workflow of .github/workflows/, read as YAML: the parts the tests look at.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";

export interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
}

export interface Job {
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown[]> };
  env?: Record<string, string>;
  steps: Step[];
}

export interface Workflow {
  on: Record<string, Record<string, unknown> | null>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export const parseWorkflow = (text: string) => load(text) as Workflow;

/** A workflow of .github/workflows/, by its file name. */
export const readWorkflow = (file: string) => parseWorkflow(readFileSync(join(".github/workflows", file), "utf8"));

/** The shell of each `run:` step of every job, in order. */
export const runSteps = (workflow: Workflow) =>
  Object.values(workflow.jobs).flatMap((job) =>
    job.steps.flatMap((step) => (step.run === undefined ? [] : [step.run])),
  );
