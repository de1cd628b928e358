/** Runs one job leg: its workspace, log, environment, steps and outputs. */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { JobRecord, StepConclusion } from "./contract.js";
import { coerceString } from "./expressions.js";
import { JobLog } from "./job-log.js";
import type { JobRuntime } from "./job-runtime.js";
import { type Leg, LegState, type RunShared } from "./leg.js";
import { prepareSandbox } from "./sandbox.js";
import { runStep, stepName } from "./step.js";
import { evaluateStringMap, evaluateToken } from "./template.js";
import { ForgeError } from "../errors.js";

/** GitHub's default job timeout. */
const DEFAULT_TIMEOUT_MINUTES = 360;

export interface LegResult {
  conclusion: StepConclusion;
  outputs: Record<string, string>;
}

function emit(shared: RunShared, record: JobRecord): void {
  shared.req.host.onJob(structuredClone(record));
}

/** Runs `leg` to completion; never rejects for a failure of the workflow's own making. */
export async function runLeg(leg: Leg, shared: RunShared): Promise<LegResult> {
  const { record, place, spec } = leg;
  await mkdir(place.workspace, { recursive: true });
  await mkdir(place.temp, { recursive: true });
  const log = new JobLog(record.logFile);
  const timeout = new AbortController();
  const rt: JobRuntime = {
    place,
    log,
    host: shared.req.host,
    context: shared.req.context,
    path: [],
    env: {},
    signal: AbortSignal.any([shared.signal, timeout.signal]),
  };
  const state = new LegState(leg, shared, rt);
  record.status = "in_progress";
  record.startedAt = new Date().toISOString();
  emit(shared, record);
  let timer: NodeJS.Timeout | undefined;
  try {
    log.line(
      `job ${record.name} (${spec.job.id.value}) of ${shared.req.workflowPath} at ${shared.req.context.sha}`,
    );
    describeRunner(leg, state);
    await sandboxFor(leg, shared, rt);
    state.workflowEnv = evaluateStringMap(shared.workflow.env, state.scope());
    state.jobEnv = evaluateStringMap(spec.job.env, state.scope());
    const minutes = Number(
      spec.timeoutMinutes
        ? evaluateToken(spec.timeoutMinutes, state.scope())
        : DEFAULT_TIMEOUT_MINUTES,
    );
    timer = setTimeout(() => {
      log.error(`The job exceeded its timeout of ${minutes} minutes.`);
      timeout.abort();
    }, minutes * 60_000);
    for (const [i, s] of spec.steps.entries()) {
      const step = record.steps[i];
      if (step === undefined) continue;
      step.name = stepName(s, state);
      step.conclusion = await runStep(s, state, step.name);
      emit(shared, record);
    }
  } catch (e) {
    log.error(e instanceof Error ? e.message : String(e));
    state.status = "failure";
  } finally {
    clearTimeout(timer);
  }
  for (const step of record.steps) step.conclusion ??= "skipped";
  const outputs = jobOutputs(state);
  const conclusion: StepConclusion = shared.signal.aborted
    ? "cancelled"
    : timeout.signal.aborted
      ? "failure"
      : state.status;
  log.line(`job concluded: ${conclusion}`);
  await log.close();
  record.status = "completed";
  record.conclusion = conclusion;
  record.completedAt = new Date().toISOString();
  emit(shared, record);
  return { conclusion, outputs };
}

/** Puts the job in its sandbox when the run asks for one (RunRequest.sandbox). */
async function sandboxFor(leg: Leg, shared: RunShared, rt: JobRuntime): Promise<void> {
  const policy = shared.req.sandbox;
  if (policy === undefined) return;
  const jobDir = path.dirname(leg.place.workspace);
  rt.sandbox = await prepareSandbox(policy, {
    jobDir,
    eventPath: leg.place.eventPath,
    scratch: path.join(shared.req.workDir, "sandbox", path.basename(jobDir)),
  });
  rt.log.line(
    `sandbox: ${policy.trusted ? "trusted" : "untrusted"} job; root filesystem copy-on-write, ` +
      `${String(policy.hide.length)} path(s) hidden, shared caches ${policy.trusted ? "writable" : "copy-on-write"}`,
  );
}

function describeRunner(leg: Leg, state: LegState): void {
  const { job } = leg.spec;
  const { log } = state.rt;
  if (job["runs-on"] !== undefined) {
    log.line(
      `runs-on: ${JSON.stringify(evaluateToken(job["runs-on"], state.scope()))} (ignored: the forge runs every job on its own host)`,
    );
  }
  if (job.container !== undefined) {
    const c = evaluateToken(job.container, state.scope());
    const image =
      typeof c === "string" ? c : coerceString((c as Record<string, never>).image ?? "");
    log.line(
      `container: ${image} requested; the forge runner runs this job on the host instead (same Debian), not in a container`,
    );
  }
  if (job.services !== undefined) {
    throw new ForgeError(
      "WORKFLOW_UNSUPPORTED",
      `job '${job.id.value}': services: are not supported by the forge runner`,
    );
  }
}

// Outputs are evaluated when the leg ends, whatever its conclusion, as on GitHub.
function jobOutputs(state: LegState): Record<string, string> {
  try {
    return evaluateStringMap(state.leg.spec.job.outputs, state.scope());
  } catch (e) {
    state.rt.log.warning(`job outputs: ${e instanceof Error ? e.message : String(e)}`);
    return {};
  }
}
