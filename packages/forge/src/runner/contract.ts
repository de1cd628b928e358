/**
 * The seam between the forge (state, REST, webhooks) and its local Actions
 * runner (workflow parsing, expressions, steps). The forge decides when a
 * workflow file is considered for an event and what the run is recorded as;
 * the runner decides whether the workflow's `on:` filters select the event
 * and executes its jobs. Neither imports the other's internals.
 */

/** The events the forge raises workflows for. */
export type WorkflowEventName =
  "push" | "pull_request" | "workflow_dispatch" | "repository_dispatch";

export interface WorkflowEvent {
  name: WorkflowEventName;
  /** The activity type (`opened`, `synchronize`, …) where the event has one. */
  action?: string;
  /** The webhook-shaped payload, exposed as `github.event`. */
  payload: Record<string, unknown>;
  /** Branch the event is about: the pushed branch, or the PR's base branch. */
  branch: string;
  /** Files changed by the push or pull request (for `paths:` filters); undefined when unknown. */
  changedFiles?: readonly string[];
}

/** What the `github` context holds for one run. */
export interface RunContext {
  repository: string;
  repositoryOwner: string;
  sha: string;
  ref: string;
  headRef?: string;
  baseRef?: string;
  runId: number;
  runNumber: number;
  runAttempt: number;
  actor: string;
  workflow: string;
  /** A read-only installation-style token for the run (never a secret of the repository). */
  token: string;
  serverUrl: string;
  apiUrl: string;
}

export type StepConclusion = "success" | "failure" | "cancelled" | "skipped";

export interface JobRecord {
  /** `plan`, or `build (debian-6.1-lab)` for a matrix leg. */
  name: string;
  status: "queued" | "in_progress" | "completed";
  conclusion?: StepConclusion;
  startedAt?: string;
  completedAt?: string;
  /** Path of this job's log file. */
  logFile: string;
  steps: { name: string; number: number; conclusion?: StepConclusion }[];
}

/** Side effects the runner needs from the forge. */
export interface RunnerHost {
  /** actions/checkout: materialise `sha` of the run's repository in `dir`, without credentials. */
  checkout(sha: string, dir: string): Promise<void>;
  /** actions/upload-artifact: store a finished zip under `name` for this run; rejects a duplicate name. */
  uploadArtifact(name: string, zipFile: string): Promise<void>;
  /** Called whenever a job changes state (for the run record and the jobs API). */
  onJob(job: JobRecord): void;
}

export interface RunRequest {
  /** Repository-relative path, e.g. `.github/workflows/build.yml`. */
  workflowPath: string;
  /** The workflow file's text at the run's commit. */
  workflowText: string;
  event: WorkflowEvent;
  context: RunContext;
  /** A fresh directory the runner owns: workspaces, logs, temp files. */
  workDir: string;
  host: RunnerHost;
  /** Cancels the run (jobs get SIGTERM, the run concludes `cancelled`). */
  signal?: AbortSignal;
  /**
   * The runner machine's own environment for every step, like a self-hosted
   * runner's `.env` file (e.g. a shared kernel cache directory). Operator
   * configuration, never repository secrets; workflow `env:` overrides it.
   */
  runnerEnv?: Readonly<Record<string, string>>;
  /** Run every step in a sandbox (sandbox.ts); undefined: on the host, as the forge's user. */
  sandbox?: SandboxPolicy;
}

/**
 * What a sandboxed job may see and change. Every job sees the host's root
 * filesystem copy-on-write (its changes vanish with the job) and none of
 * `hide`; a trusted job writes the shared `caches` in place, an untrusted
 * one (a pull request's) gets its own copy-on-write view of them, so
 * nothing it writes reaches the jobs that the app signs.
 */
export interface SandboxPolicy {
  trusted: boolean;
  /** Files and directories the job must not see (the forge's data, the app's keys). */
  hide: readonly string[];
  /** Directories shared by jobs across runs (kernel cache, tool cache). */
  caches: readonly string[];
}

export interface RunResult {
  conclusion: "success" | "failure" | "cancelled";
  jobs: JobRecord[];
  /** Why the run failed before any job ran (an invalid workflow file), for the run's annotation. */
  error?: string;
}
