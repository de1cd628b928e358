import type { JobPlace } from "./contexts.js";
import type { RunContext, RunnerHost } from "./contract.js";
import type { JobLog } from "./job-log.js";
import type { JobSandbox } from "./sandbox.js";

/** What steps of one job (one matrix leg) share while it runs. */
export interface JobRuntime {
  place: JobPlace;
  log: JobLog;
  host: RunnerHost;
  context: RunContext;
  /** Directories steps put on PATH ($GITHUB_PATH, setup-node), newest first. */
  path: string[];
  /** Variables steps set with $GITHUB_ENV, for the steps after them. */
  env: Record<string, string>;
  /** Aborts when the run is cancelled or the job times out. */
  signal: AbortSignal;
  /** Where `run:` steps execute; undefined: on the host. */
  sandbox?: JobSandbox;
}
