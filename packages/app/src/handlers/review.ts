/** pull_request_review submitted / edited / dismissed: recompute the gate on the PR's current head. */
import type { Context } from "probot";
import type { AppDeps } from "../deps.js";
import { recomputeGate } from "./recompute-gate.js";

export async function onReview(
  context: Context<"pull_request_review">,
  deps: AppDeps,
): Promise<void> {
  const ref = context.repo();
  const octokit = context.octokit;
  // The payload's head may be stale by the time this runs: read the PR again.
  const { data: pr } = await octokit.rest.pulls.get({
    ...ref,
    pull_number: context.payload.pull_request.number,
  });
  await recomputeGate(context, deps, pr.head.sha);
}
