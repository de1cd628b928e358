/** One job leg (a job, or one combination of its matrix) and its evolving state. */
import type { JobPlace } from "./contexts.js";
import { githubContext, runnerContext } from "./contexts.js";
import type { JobRecord, RunRequest, StepConclusion } from "./contract.js";
import type { Json, Scope } from "./expressions.js";
import type { JobRuntime } from "./job-runtime.js";
import type { Combination } from "./matrix.js";
import type { JobSpec, ParsedWorkflow } from "./workflow.js";

/** What every job of a run shares. */
export interface RunShared {
  req: RunRequest;
  workflow: ParsedWorkflow;
  eventPath: string;
  inputs: Json;
  /** Ends the run: the request's signal. */
  signal: AbortSignal;
}

export interface Leg {
  spec: JobSpec;
  name: string;
  matrix: Combination;
  /** The `strategy` context. */
  strategy: Json;
  /** The `needs` context: direct needs' results and outputs. */
  needs: Json;
  place: JobPlace;
  record: JobRecord;
  /** Job-level continue-on-error: a failure of this leg does not fail the run. */
  continueOnError: boolean;
}

/** What a finished (or skipped) job gives the jobs that need it. */
export interface NeedResult {
  result: "success" | "failure" | "cancelled" | "skipped";
  outputs: Record<string, string>;
}

/** A step's entry in the `steps` context. */
export interface StepState {
  outputs: Record<string, string>;
  outcome: StepConclusion;
  conclusion: StepConclusion;
}

/** The mutable state of a running leg, and the expression scope it gives. */
export class LegState {
  status: "success" | "failure" = "success";
  readonly steps: Record<string, StepState> = {};
  workflowEnv: Record<string, string> = {};
  jobEnv: Record<string, string> = {};

  constructor(
    readonly leg: Leg,
    readonly shared: RunShared,
    readonly rt: JobRuntime,
  ) {}

  /** The `env` context: workflow, job, then $GITHUB_ENV additions. */
  env(): Record<string, string> {
    return { ...this.workflowEnv, ...this.jobEnv, ...this.rt.env };
  }

  scope(extraEnv: Record<string, string> = {}): Scope {
    const { req } = this.shared;
    return {
      contexts: {
        github: githubContext(req.context, req.event, this.leg.place),
        env: { ...this.env(), ...extraEnv },
        vars: {},
        // No repository secrets exist on the forge; only the run's read-only token.
        secrets: { GITHUB_TOKEN: req.context.token },
        inputs: this.shared.inputs,
        matrix: this.leg.matrix,
        strategy: this.leg.strategy,
        needs: this.leg.needs,
        steps: this.steps as unknown as Json,
        job: { status: this.status, container: {}, services: {} },
        runner: runnerContext(this.leg.place),
      },
      status: {
        success: () => this.status === "success" && !this.rt.signal.aborted,
        failure: () => this.status === "failure",
        cancelled: () => this.rt.signal.aborted,
      },
    };
  }
}
