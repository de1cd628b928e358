/**
 * Pure roll-ups over check runs and statuses: a suite's status and
 * conclusion from its runs, the combined commit status, and the state of a
 * branch protection's required checks on one commit (the merge gate).
 */
import type {
  CheckConclusion,
  CheckRunRow,
  CheckStatus,
  StatusRow,
  StatusState,
} from "../model/check-rows.js";

/** Most telling first: one such run decides the suite. */
const SUITE_PRIORITY: readonly CheckConclusion[] = [
  "action_required",
  "cancelled",
  "timed_out",
  "failure",
  "success",
  "neutral",
  "skipped",
];

type RunState = Pick<CheckRunRow, "status" | "conclusion">;

export function suiteState(runs: readonly RunState[]): {
  status: CheckStatus;
  conclusion: CheckConclusion | null;
} {
  if (runs.length === 0) return { status: "queued", conclusion: null };
  if (runs.some((r) => r.status !== "completed")) {
    const started = runs.some((r) => r.status !== "queued");
    return { status: started ? "in_progress" : "queued", conclusion: null };
  }
  const found = SUITE_PRIORITY.find((c) => runs.some((r) => r.conclusion === c));
  return { status: "completed", conclusion: found ?? "neutral" };
}

/** The latest status per context, newest first (as GitHub lists them in the combined status). */
export function latestPerContext(statuses: readonly StatusRow[]): StatusRow[] {
  const seen = new Set<string>();
  const out: StatusRow[] = [];
  for (const s of [...statuses].sort((a, b) => b.id - a.id)) {
    if (seen.has(s.context)) continue;
    seen.add(s.context);
    out.push(s);
  }
  return out;
}

/** GitHub's combined state: failure if any error/failure, pending if any pending or none, else success. */
export function combinedState(latest: readonly StatusRow[]): StatusState {
  if (latest.some((s) => s.state === "error" || s.state === "failure")) return "failure";
  if (latest.length === 0 || latest.some((s) => s.state === "pending")) return "pending";
  return "success";
}

export interface RequiredCheckSpec {
  context: string;
  app_id?: number | null;
}

type Gate = "success" | "pending" | "failure";

function runGate(run: RunState): Gate {
  if (run.status !== "completed") return "pending";
  return run.conclusion === "success" ||
    run.conclusion === "neutral" ||
    run.conclusion === "skipped"
    ? "success"
    : "failure";
}

function statusGate(s: StatusRow): Gate {
  if (s.state === "success") return "success";
  return s.state === "pending" ? "pending" : "failure";
}

/**
 * Whether every required check concluded success on a commit. A check named
 * with an `app_id` counts only when that app created it (branch protection's
 * "expected source"); otherwise the newest check run of that name, or else
 * the newest commit status of that context, decides. Missing is pending.
 */
export function requiredChecksGate(
  required: readonly RequiredCheckSpec[],
  runs: readonly Pick<CheckRunRow, "id" | "name" | "appId" | "status" | "conclusion">[],
  statuses: readonly StatusRow[],
): Gate {
  const states = required.map((check): Gate => {
    const pinned = check.app_id !== undefined && check.app_id !== null && check.app_id !== -1;
    const run = runs
      .filter((r) => r.name === check.context && (!pinned || r.appId === check.app_id))
      .sort((a, b) => b.id - a.id)[0];
    if (run) return runGate(run);
    if (pinned) return "pending";
    const status = latestPerContext(statuses).find((s) => s.context === check.context);
    return status ? statusGate(status) : "pending";
  });
  if (states.includes("failure")) return "failure";
  return states.includes("pending") ? "pending" : "success";
}
