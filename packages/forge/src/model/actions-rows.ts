/** Rows of the Actions area (tables workflows, workflow_runs, workflow_jobs, artifacts). */
import type { StepConclusion } from "../runner/contract.js";
import type { Row } from "../persistence/state-tables.js";

export interface WorkflowRow extends Row {
  repoId: number;
  /** `.github/workflows/build.yml` */
  path: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export type RunStatus = "queued" | "in_progress" | "completed";
export type RunConclusion = "success" | "failure" | "cancelled";

export interface SimpleCommitJson {
  id: string;
  tree_id: string;
  message: string;
  timestamp: string;
  author: { name: string; email: string };
  committer: { name: string; email: string };
}

export interface RunRow extends Row {
  repoId: number;
  workflowId: number;
  /** Per workflow, from 1. */
  run_number: number;
  run_attempt: number;
  name: string;
  display_title: string;
  event: string;
  status: RunStatus;
  conclusion: RunConclusion | null;
  head_sha: string;
  head_branch: string | null;
  path: string;
  actorId: number;
  created_at: string;
  updated_at: string;
  run_started_at: string;
  head_commit: SimpleCommitJson | null;
  /** `pull-request-minimal` objects (same-repository pull requests only). */
  pull_requests?: Record<string, unknown>[];
}

export interface JobRow extends Row {
  runId: number;
  repoId: number;
  name: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: StepConclusion | null;
  created_at: string;
  started_at: string;
  completed_at: string | null;
  steps: { name: string; number: number; conclusion: StepConclusion | null }[];
  /** The job's log, once stored (blob key and its sha256). */
  log?: { blobKey: string; sha256: string; size: number };
}

export interface ArtifactRow extends Row {
  runId: number;
  repoId: number;
  name: string;
  size_in_bytes: number;
  blobKey: string;
  sha256: string;
  created_at: string;
  updated_at: string;
  expires_at: string;
}
