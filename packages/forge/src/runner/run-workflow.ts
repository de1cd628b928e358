/**
 * Runs a workflow: jobs in `needs` order, one at a time (matrix legs too),
 * each job's `if:` and matrix evaluated when its needs are done.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { isForgeError } from "../errors.js";
import { inputsContext } from "./contexts.js";
import type { JobRecord, RunRequest, RunResult, StepConclusion } from "./contract.js";
import { runLeg } from "./job.js";
import type { Leg, NeedResult, RunShared } from "./leg.js";
import { planJob } from "./plan-job.js";
import { loadWorkflow, type JobSpec } from "./workflow.js";

/** Executes `req`'s workflow; an invalid workflow concludes `failure` with `error` set. */
export async function runWorkflow(req: RunRequest): Promise<RunResult> {
  let workflow;
  try {
    workflow = await loadWorkflow(req.workflowPath, req.workflowText);
  } catch (e) {
    if (isForgeError(e)) return { conclusion: "failure", jobs: [], error: e.message };
    throw e;
  }
  await mkdir(path.join(req.workDir, "logs"), { recursive: true });
  const eventPath = path.join(req.workDir, "event.json");
  await writeFile(eventPath, JSON.stringify(req.event.payload, null, 2));
  const shared: RunShared = {
    req,
    workflow,
    eventPath,
    inputs: inputsContext(workflow.template.events.workflow_dispatch?.inputs, req.event),
    signal: req.signal ?? new AbortController().signal,
  };
  const byId = new Map(workflow.jobs.map((j) => [j.job.id.value, j]));
  const results = new Map<string, NeedResult>();
  const records: JobRecord[] = [];
  const pending = [...workflow.jobs];
  let sequence = 0;
  while (pending.length > 0) {
    const index = pending.findIndex((j) => (j.job.needs ?? []).every((n) => results.has(n.value)));
    const spec = pending.splice(Math.max(index, 0), 1)[0];
    if (index < 0) {
      // The parser rejects needs cycles; this only guards the loop.
      return {
        conclusion: "failure",
        jobs: records,
        error: `job ${spec.job.id.value}: its needs never finish`,
      };
    }
    const plan = await planJob({
      spec,
      shared,
      results,
      ancestors: ancestorsOf(spec, byId),
      nextSequence: () => ++sequence,
    });
    if (plan.kind === "done") {
      records.push(plan.record);
      results.set(spec.job.id.value, plan.result);
    } else {
      records.push(...plan.legs.map((l) => l.record));
      results.set(spec.job.id.value, await runLegs(plan.legs, plan.failFast, shared));
    }
  }
  const failed = [...results.values()].some((r) => r.result === "failure");
  const conclusion = shared.signal.aborted ? "cancelled" : failed ? "failure" : "success";
  return { conclusion, jobs: records };
}

function ancestorsOf(spec: JobSpec, byId: ReadonlyMap<string, JobSpec>): string[] {
  const seen = new Set<string>();
  const visit = (s: JobSpec | undefined) => {
    for (const n of s?.job.needs ?? []) {
      if (!seen.has(n.value)) {
        seen.add(n.value);
        visit(byId.get(n.value));
      }
    }
  };
  visit(spec);
  return [...seen];
}

/**
 * Runs a job's legs. fail-fast cancels the legs after a failed one; a failed
 * leg with continue-on-error neither stops the others nor fails the job for
 * the jobs that need it. Outputs of all legs merge, a later non-empty value winning.
 */
async function runLegs(
  legs: readonly Leg[],
  failFast: boolean,
  shared: RunShared,
): Promise<NeedResult> {
  const outputs: Record<string, string> = {};
  const conclusions: StepConclusion[] = [];
  let stop = false;
  for (const leg of legs) {
    if (stop || shared.signal.aborted) {
      leg.record.status = "completed";
      leg.record.conclusion = "cancelled";
      for (const s of leg.record.steps) s.conclusion = "skipped";
      shared.req.host.onJob(structuredClone(leg.record));
      conclusions.push("cancelled");
      continue;
    }
    const r = await runLeg(leg, shared);
    for (const [k, v] of Object.entries(r.outputs)) if (v !== "" || !(k in outputs)) outputs[k] = v;
    const tolerated = r.conclusion === "failure" && leg.continueOnError;
    conclusions.push(tolerated ? "success" : r.conclusion);
    if (r.conclusion === "failure" && failFast && !leg.continueOnError) stop = true;
  }
  const result = conclusions.includes("failure")
    ? "failure"
    : conclusions.includes("cancelled")
      ? "cancelled"
      : "success";
  return { result, outputs };
}
