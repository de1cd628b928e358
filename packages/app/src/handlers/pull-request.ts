/**
 * pull_request opened / synchronize / reopened, and edited when the base
 * changed (the diff, the plan and the gate's base binding change with it):
 * policy, plan, lint, queued build checks, the review gate and the PR
 * comment, all on the head commit; then the builds from the build run if it
 * already completed. Every step looks up what it writes first, so a
 * redelivery adds nothing.
 */
import type { Context } from "probot";
import { CHECK } from "../checks.js";
import { checklistSection, lintSection, planSection, recordsText } from "../comment.js";
import type { AppDeps } from "../deps.js";
import { guarded } from "../guard.js";
import { code } from "../markdown.js";
import { completePrBuilds } from "../github/build-results.js";
import { findCheckRun, upsertCheckRun } from "../github/check-runs.js";
import { finishedBuildRun } from "../github/finished-build-run.js";
import { loadConfig } from "../github/load-config.js";
import { planFromApi } from "../github/plan-api.js";
import { targetNotes } from "../github/target-notes.js";
import { upsertPrComment } from "../github/pr-comment.js";
import { lintPullRequest } from "../github/pr-lint.js";
import type { Push } from "../github/review-gate.js";
import { recomputeGate } from "./recompute-gate.js";
import { RINGS_PATH } from "@livepatch-gitops/lpctl/core/rings";
import { publishRingsCheck } from "../github/rings-check.js";
import { checkPolicy } from "../policy.js";

export async function onPullRequest(
  context: Context<"pull_request">,
  deps: AppDeps,
): Promise<void> {
  const payload = context.payload;
  // A title or body edit changes nothing the app decides.
  if (payload.action === "edited" && payload.changes.base === undefined) return;
  const pr = payload.pull_request;
  const ref = context.repo();
  const octokit = context.octokit;
  const headSha = pr.head.sha;
  const appId = deps.appId;
  const target = {
    octokit,
    ref,
    sha: headSha,
    deliveryId: context.id,
    log: context.log,
    ...(appId ? { appId } : {}),
  };
  // Set once the build checks are queued and the comment written.
  let buildWorkflow: string | undefined;
  try {
    await lintAndPlan();
    if (buildWorkflow !== undefined) await completeFromFinishedRun(buildWorkflow);
  } finally {
    // The gate records who pushed this head: it runs even when the lint failed.
    await recomputeGate(context, deps, headSha, pushOf(payload));
  }

  async function lintAndPlan(): Promise<void> {
    await guarded({ ...target, check: CHECK.lint }, "livepatch lint", async () => {
      // An invalid configuration fails the lint check, with its field path.
      const { config } = await loadConfig(octokit, ref);
      const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
        ...ref,
        pull_number: pr.number,
        per_page: 100,
      });
      // A rename changes both paths: the old one is a deletion for the plan.
      const changed = [
        ...new Set(
          files.flatMap((f) => [f.filename, ...(f.previous_filename ? [f.previous_filename] : [])]),
        ),
      ].sort();

      const policy = checkPolicy(changed);

      const { data: compare } = await octokit.rest.repos.compareCommitsWithBasehead({
        ...ref,
        basehead: `${pr.base.sha}...${headSha}`,
        per_page: 1,
      });
      const { plan, headPaths } = await planFromApi(
        octokit,
        ref,
        compare.merge_base_commit.sha,
        headSha,
        changed,
      );

      const lint = await lintPullRequest(
        octokit,
        ref,
        headSha,
        changed,
        headPaths,
        config.patchStyle,
      );
      await upsertCheckRun(
        octokit,
        ref,
        headSha,
        CHECK.lint,
        {
          status: "completed",
          conclusion: lint.errors > 0 ? "failure" : "success",
          output: {
            title: `${lint.errors} error(s), ${lint.warnings} warning(s)`,
            summary:
              lint.errors + lint.warnings === 0
                ? "No findings in the changed patches."
                : "Findings are annotated on the patch lines; warnings need the reviewer's attention.",
            annotations: lint.annotations,
          },
        },
        appId,
      );

      // After the lint: GitHub spaces an app's writes a second apart, and the
      // lint is what the author waits for.
      await upsertCheckRun(
        octokit,
        ref,
        headSha,
        CHECK.policy,
        {
          status: "completed",
          conclusion: policy.ok ? "success" : "failure",
          output: {
            title: policy.ok ? "ok" : "build infrastructure changes with patches",
            summary: policy.summary,
          },
        },
        appId,
      );

      // A ring promotion (or any change to the rings file) gets its own check.
      if (changed.includes(RINGS_PATH)) await publishRingsCheck(octokit, ref, headSha, deps);

      // Queued only when missing: a redelivery must not reset a finished build.
      for (const t of plan.targets) {
        if ((await findCheckRun(octokit, ref, headSha, CHECK.build(t), appId)) !== undefined)
          continue;
        await octokit.rest.checks.create({
          ...ref,
          head_sha: headSha,
          name: CHECK.build(t),
          status: "queued",
          output: {
            title: "waiting for the build workflow",
            summary: (plan.reasons[t] ?? []).map(code).join("; "),
          },
        });
      }

      await upsertPrComment(
        octokit,
        ref,
        pr.number,
        {
          plan:
            planSection(plan, await targetNotes(octokit, ref, headSha, plan.targets)) +
            recordsText(lint.records),
          lint: lintSection(lint.findings),
          checklist: checklistSection(lint.findings),
          builds: "### Builds\n\nWaiting for the build workflow.",
        },
        deps.comments,
      );
      buildWorkflow = config.buildWorkflow;
    });
  }

  /**
   * The build run may have completed, and its workflow_run been handled,
   * before the checks above existed (a workflow that fails in seconds, a
   * fork's run, which joins no PR's queue, deliveries out of order): that
   * handler found no build check to complete, and its builds section was
   * then overwritten by "Waiting". So the run is looked up only now, after
   * the checks and the comment were written. Either it had completed by then
   * and is completed here, through the same completePrBuilds (its
   * workflow_run, if still to come, then finds it written and reads nothing
   * again); or it completes later, and its workflow_run handler reads it, the
   * checks and the comment after these writes. No order of deliveries leaves
   * a check queued or the comment waiting. A redelivery finds the checks and
   * the comment and edits them in place: nothing is added.
   */
  async function completeFromFinishedRun(workflowPath: string): Promise<void> {
    await guarded(
      { ...target, check: CHECK.buildResults },
      `build results of the finished run on ${headSha}`,
      async () => {
        const run = await finishedBuildRun(octokit, ref, headSha, workflowPath);
        if (run) await completePrBuilds(octokit, ref, run, appId, deps);
      },
    );
  }
}

/** The push an event stands for: its sender pushed the head (opened) or moved it (synchronize). */
function pushOf(payload: Context<"pull_request">["payload"]): Push | undefined {
  if (payload.action === "opened") return { sender: payload.sender.login };
  if (payload.action === "synchronize")
    return { sender: payload.sender.login, before: payload.before };
  return undefined;
}
