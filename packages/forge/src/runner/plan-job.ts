/**
 * Decides what a job becomes once its needs are done: skipped (its `if:`),
 * cancelled (the run was), failed (its strategy cannot be evaluated) or a
 * list of legs, one per matrix combination, each with its own directories.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { githubContext, type JobPlace } from "./contexts.js";
import type { JobRecord } from "./contract.js";
import { evaluateCondition, isTrue, type Json, type Scope } from "./expressions.js";
import type { Leg, NeedResult, RunShared } from "./leg.js";
import { expandMatrix, legName } from "./matrix.js";
import { evaluateString, evaluateToken } from "./template.js";
import { isString } from "./vendor/actions.mjs";
import type { JobSpec } from "./workflow.js";

export type JobPlan =
  | { kind: "run"; legs: Leg[]; failFast: boolean }
  | { kind: "done"; record: JobRecord; result: NeedResult };

export interface PlanInput {
  spec: JobSpec;
  shared: RunShared;
  /** Results of the jobs done so far. */
  results: ReadonlyMap<string, NeedResult>;
  /** The job's needs, transitively (failure() looks at every ancestor). */
  ancestors: readonly string[];
  nextSequence: () => number;
}

function placeOf(shared: RunShared, jobId: string, seq: number): JobPlace {
  const dir = path.join(shared.req.workDir, "jobs", `${seq}-${jobId}`);
  return {
    jobId,
    workspace: path.join(dir, "workspace"),
    temp: path.join(dir, "temp"),
    eventPath: shared.eventPath,
  };
}

function record(spec: JobSpec, shared: RunShared, name: string, seq: number): JobRecord {
  const slug = name.replace(/[^A-Za-z0-9._-]+/g, "_");
  return {
    name,
    status: "queued",
    logFile: path.join(shared.req.workDir, "logs", `${seq}-${slug}.log`),
    steps: spec.steps.map(({ step }, i) => ({
      name:
        step.name !== undefined && isString(step.name)
          ? step.name.value
          : "uses" in step
            ? `Run ${step.uses.value}`
            : "Run script",
      number: i + 1,
    })),
  };
}

async function finished(
  input: PlanInput,
  conclusion: NeedResult["result"],
  why: string,
): Promise<JobPlan> {
  const seq = input.nextSequence();
  const r = record(input.spec, input.shared, input.spec.job.id.value, seq);
  await writeFile(r.logFile, `${new Date().toISOString()} ${why}\n`);
  r.status = "completed";
  r.conclusion = conclusion === "skipped" ? "skipped" : conclusion;
  for (const s of r.steps) s.conclusion = "skipped";
  input.shared.req.host.onJob(structuredClone(r));
  return { kind: "done", record: r, result: { result: conclusion, outputs: {} } };
}

export async function planJob(input: PlanInput): Promise<JobPlan> {
  const { spec, shared, results, ancestors } = input;
  const jobId = spec.job.id.value;
  if (shared.signal.aborted) return finished(input, "cancelled", "the run was cancelled");
  const needs: Record<string, Json> = {};
  for (const n of spec.job.needs ?? []) needs[n.value] = results.get(n.value) as unknown as Json;
  const scope = (matrix: Json): Scope => ({
    contexts: {
      github: githubContext(shared.req.context, shared.req.event, placeOf(shared, jobId, 0)),
      inputs: shared.inputs,
      needs,
      vars: {},
      secrets: { GITHUB_TOKEN: shared.req.context.token },
      matrix,
    },
    status: {
      success: () => ancestors.every((a) => results.get(a)?.result === "success"),
      failure: () => ancestors.some((a) => results.get(a)?.result === "failure"),
      cancelled: () => shared.signal.aborted,
    },
  });
  let legs: Leg[];
  let failFast: boolean;
  try {
    if (!evaluateCondition(spec.job.if.expression, scope({}))) {
      return finished(
        input,
        "skipped",
        `job ${jobId} skipped: if: ${spec.job.if.expression} is false`,
      );
    }
    const strategy = (
      spec.job.strategy ? evaluateToken(spec.job.strategy, scope({})) : {}
    ) as Record<string, Json>;
    failFast = strategy["fail-fast"] !== false && strategy["fail-fast"] !== "false";
    const combos = expandMatrix(strategy.matrix);
    legs = combos.map((matrix, i) => {
      const s = scope(matrix);
      const base = spec.job.name ? evaluateString(spec.job.name, s) : jobId;
      const name = spec.job.name?.isExpression ? base : legName(base, matrix, combos.length);
      const seq = input.nextSequence();
      const coe = input.spec.continueOnError ? evaluateToken(input.spec.continueOnError, s) : false;
      return {
        spec,
        name,
        matrix,
        strategy: {
          "fail-fast": failFast,
          "job-index": i,
          "job-total": combos.length,
          "max-parallel": 1,
        },
        needs,
        place: placeOf(shared, jobId, seq),
        record: record(spec, shared, name, seq),
        continueOnError: isTrue(coe),
      };
    });
  } catch (e) {
    return finished(
      input,
      "failure",
      `job ${jobId} failed before it started: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  for (const leg of legs) shared.req.host.onJob(structuredClone(leg.record));
  return { kind: "run", legs, failFast };
}
