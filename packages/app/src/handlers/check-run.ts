/**
 * check_run rerequested ("Re-run" in GitHub's UI): on the safety review,
 * recompute the gate on that head; on the rings check, evaluate the rings
 * file again (a promotion whose release has now soaked).
 */
import type { Context } from "probot";
import { CHECK } from "../checks.js";
import type { AppDeps } from "../deps.js";
import { publishRingsCheck } from "../github/rings-check.js";
import { recomputeGate } from "./recompute-gate.js";

export async function onCheckRunRerequested(
  context: Context<"check_run.rerequested">,
  deps: AppDeps,
): Promise<void> {
  const run = context.payload.check_run;
  if (run.name === CHECK.rings) {
    await publishRingsCheck(context.octokit, context.repo(), run.head_sha, deps);
    return;
  }
  if (run.name !== CHECK.review) return;
  await recomputeGate(context, deps, run.head_sha);
}
