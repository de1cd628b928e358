/** check_run rerequested on the safety review ("Re-run" in GitHub's UI): recompute the gate on that head. */
import type { Context } from "probot";
import { CHECK } from "../checks.js";
import type { AppDeps } from "../deps.js";
import { guarded } from "../guard.js";
import { loadConfig } from "../github/load-config.js";
import { publishGate } from "../github/review-gate.js";

export async function onCheckRunRerequested(
  context: Context<"check_run.rerequested">,
  deps: AppDeps,
): Promise<void> {
  const run = context.payload.check_run;
  if (run.name !== CHECK.review) return;
  const ref = context.repo();
  const octokit = context.octokit;
  const appId = deps.appId;
  await guarded(
    {
      octokit,
      ref,
      sha: run.head_sha,
      check: CHECK.review,
      deliveryId: context.id,
      log: context.log,
      ...(appId ? { appId } : {}),
    },
    "livepatch safety review",
    async () => {
      const { config } = await loadConfig(octokit, ref);
      await publishGate(octokit, ref, run.head_sha, config, appId);
    },
  );
}
