/** The safety review recomputed on `sha` under its check's guard: one way for every event that moves it. */
import type { Context } from "probot";
import { CHECK } from "../checks.js";
import type { AppDeps } from "../deps.js";
import { guarded } from "../guard.js";
import { loadConfig } from "../github/load-config.js";
import { publishGate, type Push } from "../github/review-gate.js";

export async function recomputeGate(
  context: Context,
  deps: AppDeps,
  sha: string,
  push?: Push,
): Promise<void> {
  const ref = context.repo();
  const octokit = context.octokit;
  const appId = deps.appId;
  await guarded(
    {
      octokit,
      ref,
      sha,
      check: CHECK.review,
      deliveryId: context.id,
      log: context.log,
      ...(appId ? { appId } : {}),
    },
    "livepatch safety review",
    async () => {
      const { config } = await loadConfig(octokit, ref);
      await publishGate(octokit, ref, sha, config, appId, push);
    },
  );
}
