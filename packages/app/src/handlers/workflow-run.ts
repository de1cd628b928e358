/**
 * workflow_run completed. The payload only says which run to look at: the
 * run is read again from the API, and only that answer decides whether its
 * artifacts are a PR's untrusted builds (checks and comment) or the trusted
 * build of the default branch (signed and published).
 */
import type { Context } from "probot";
import { CHECK } from "../checks.js";
import type { AppDeps } from "../deps.js";
import { guarded } from "../guard.js";
import { completePrBuilds, prBuildsWritten, prRunRef } from "../github/build-results.js";
import { upsertCheckRun } from "../github/check-runs.js";
import { loadConfig } from "../github/load-config.js";
import { publishTrustedRun, untrusted, type PublishOutcome } from "../github/publish-trusted.js";
import { TRUSTED_EVENTS, untrustedReason, workflowFileOf } from "../provenance.js";

/** The check run on the merge commit that shows the publish's outcome. */
export const PUBLISH_CHECK = "livepatch / publish";

export async function onWorkflowRun(
  context: Context<"workflow_run.completed">,
  deps: AppDeps,
): Promise<void> {
  const ref = context.repo();
  const octokit = context.octokit;
  const { data: run } = await octokit.rest.actions.getWorkflowRun({
    ...ref,
    run_id: context.payload.workflow_run.id,
  });
  const { config, defaultBranch } = await loadConfig(octokit, ref);
  if (workflowFileOf(run.path) !== config.buildWorkflow || run.status !== "completed") return;
  const appId = deps.appId;
  const base = {
    octokit,
    ref,
    sha: run.head_sha,
    deliveryId: context.id,
    log: context.log,
    ...(appId ? { appId } : {}),
  };
  if (run.event === "pull_request") {
    const pr = prRunRef(run);
    // The pull_request handler got there first (the run had completed when it looked).
    if (prBuildsWritten(deps, ref, pr)) {
      context.log.info(
        { deliveryId: context.id },
        `run ${run.id} (attempt ${pr.attempt}): its builds were completed already`,
      );
      return;
    }
    await guarded(
      { ...base, check: CHECK.buildResults },
      `build results of run ${run.id}`,
      async () => {
        await completePrBuilds(octokit, ref, pr, appId, deps);
      },
    );
    return;
  }
  if (!TRUSTED_EVENTS.has(run.event)) {
    context.log.info(
      { deliveryId: context.id },
      `run ${run.id} is a ${run.event} run: neither a PR build nor a trusted build`,
    );
    return;
  }
  await guarded({ ...base, check: PUBLISH_CHECK }, `publish of run ${run.id}`, async () => {
    const { data: cmp } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...ref,
      basehead: `${defaultBranch}...${run.head_sha}`,
      per_page: 1,
    });
    const why = untrustedReason(
      {
        id: run.id,
        event: run.event,
        headBranch: run.head_branch,
        headSha: run.head_sha,
        path: run.path,
        conclusion: run.conclusion,
        compareStatus: cmp.status,
      },
      { defaultBranch, workflowPath: config.buildWorkflow },
    );
    if (why !== undefined) throw untrusted(why);
    const outcome = await deps.publishQueue.run(`${ref.owner}/${ref.repo}`, () =>
      publishTrustedRun(
        octokit,
        ref,
        { id: run.id, headSha: run.head_sha, branch: defaultBranch },
        config,
        deps,
        (l) => context.log.info({ deliveryId: context.id }, l),
      ),
    );
    await upsertCheckRun(
      octokit,
      ref,
      run.head_sha,
      PUBLISH_CHECK,
      {
        status: "completed",
        conclusion: "success",
        output: publishOutput(outcome, run.id),
      },
      appId,
    );
  });
}

function publishOutput(outcome: PublishOutcome, runId: number): { title: string; summary: string } {
  switch (outcome.kind) {
    case "published": {
      const r = outcome.result;
      return {
        title: `published ${r.release.tag}`,
        summary: `${r.uploaded.length} uploaded, ${r.replaced.length} re-uploaded, ${r.skipped.length} already there`,
      };
    }
    case "already":
      return {
        title: `already published as ${outcome.tag}`,
        summary: `run ${runId}'s commit is what the app published last; nothing was published again`,
      };
    case "nothing":
      return {
        title: "nothing to publish",
        summary: `the change built by run ${runId} affects no target and removes none`,
      };
  }
}
