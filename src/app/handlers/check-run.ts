/** check_run rerequested on the safety review ("Re-run" in GitHub's UI): recompute the gate on that head. */
import type { Context } from "probot";
import { CHECK } from "../checks.js";
import type { AppDeps } from "../deps.js";
import { recomputeGate } from "./recompute-gate.js";

export async function onCheckRunRerequested(
  context: Context<"check_run.rerequested">,
  deps: AppDeps,
): Promise<void> {
  const run = context.payload.check_run;
  if (run.name !== CHECK.review) return;
  await recomputeGate(context, deps, run.head_sha);
}
