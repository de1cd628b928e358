/** pull_request_review submitted / edited / dismissed: recompute the gate on the PR's current head. */
import type { Context } from "probot";
import { CHECK } from "../checks.js";
import type { AppDeps } from "../deps.js";
import { guarded } from "../guard.js";
import { loadConfig } from "../github/load-config.js";
import { publishGate } from "../github/review-gate.js";

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
  const appId = deps.appId;
  await guarded(
    {
      octokit,
      ref,
      sha: pr.head.sha,
      check: CHECK.review,
      deliveryId: context.id,
      log: context.log,
      ...(appId ? { appId } : {}),
    },
    "livepatch safety review",
    async () => {
      const { config } = await loadConfig(octokit, ref);
      await publishGate(octokit, ref, pr.head.sha, config, appId);
    },
  );
}
