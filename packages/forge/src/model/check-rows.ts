/** Rows of the checks and statuses areas (tables check_suites, check_runs, check_annotations, statuses). */
import type { Row } from "../persistence/state-tables.js";

export type CheckStatus = "queued" | "in_progress" | "completed";
export const CHECK_CONCLUSIONS = [
  "success",
  "failure",
  "neutral",
  "cancelled",
  "skipped",
  "timed_out",
  "action_required",
] as const;
export type CheckConclusion = (typeof CHECK_CONCLUSIONS)[number];

/** One suite per (repository, head_sha, app), created with the suite's first check run. */
export interface CheckSuiteRow extends Row {
  repoId: number;
  appId: number;
  head_sha: string;
  head_branch: string | null;
  status: CheckStatus;
  conclusion: CheckConclusion | null;
  created_at: string;
  updated_at: string;
}

export interface CheckOutput {
  title: string | null;
  summary: string | null;
  text: string | null;
}

export interface CheckRunRow extends Row {
  repoId: number;
  suiteId: number;
  appId: number;
  head_sha: string;
  name: string;
  status: CheckStatus;
  conclusion: CheckConclusion | null;
  started_at: string;
  completed_at: string | null;
  external_id: string;
  details_url: string | null;
  output: CheckOutput;
  annotationsCount: number;
}

export interface AnnotationRow extends Row {
  runId: number;
  path: string;
  start_line: number;
  end_line: number;
  start_column: number | null;
  end_column: number | null;
  annotation_level: "notice" | "warning" | "failure";
  title: string | null;
  message: string;
  raw_details: string | null;
}

export type StatusState = "error" | "failure" | "pending" | "success";

export interface StatusRow extends Row {
  repoId: number;
  sha: string;
  state: StatusState;
  context: string;
  description: string | null;
  target_url: string | null;
  creatorId: number;
  created_at: string;
  updated_at: string;
}
