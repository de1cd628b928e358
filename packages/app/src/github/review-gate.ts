/**
 * Gathers what the review rule needs from the API and publishes
 * `livepatch / safety review` on a head commit: evaluated for every open
 * pull request with that head (branch protection reads the check there for
 * all of them), with the accounts that pushed to it carried from head to
 * head in the check run's `external_id`.
 */
import type { AppConfig } from "@livepatch-gitops/lpctl/core/livepatch-config";
import { CHECK } from "../checks.js";
import { evaluateGate } from "../gate.js";
import { combineGates, type HeadVerdict } from "../gate-head.js";
import { formatPushers, parsePushers } from "../pushers.js";
import { findOurRun, upsertCheckRun } from "./check-runs.js";
import { pullFacts } from "./gate-inputs.js";
import { openPullsForHead } from "./pulls-for-sha.js";
import { isReviewer } from "./reviewers.js";
import type { Octokit, RepoRef } from "./types.js";

/** A push that produced the head: who sent it, and the head it replaced. */
export interface Push {
  sender: string;
  /** The previous head (synchronize's `before`), whose record carries over. */
  before?: string;
}

/** Recomputes the gate on `headSha` and updates its check run there. */
export async function publishGate(
  octokit: Octokit,
  ref: RepoRef,
  headSha: string,
  config: AppConfig,
  appId?: number,
  push?: Push,
): Promise<HeadVerdict> {
  const pushers = await recordedPushers(octokit, ref, headSha, appId, push);
  const pulls = await openPullsForHead(octokit, ref, headSha);
  const reviewerCache = new Map<string, Promise<boolean>>();
  const verdicts = [];
  for (const pull of pulls) {
    const facts = await pullFacts(octokit, ref, pull);
    const reviewers = new Set<string>();
    for (const r of facts.reviews) {
      const key = r.login.toLowerCase();
      if (!reviewerCache.has(key))
        reviewerCache.set(key, isReviewer(octokit, ref, config, r.login));
      if (await reviewerCache.get(key)) reviewers.add(r.login);
    }
    verdicts.push(
      evaluateGate({
        pull: pull.number,
        base: pull.base,
        headSha,
        author: pull.author,
        pushers,
        reviewers,
        required: config.requiredApprovals,
        ...facts,
      }),
    );
  }
  const verdict = combineGates(headSha, verdicts);
  const configured = config.reviewers.users.length + config.reviewers.teams.length > 0;
  await upsertCheckRun(
    octokit,
    ref,
    headSha,
    CHECK.review,
    {
      status: "completed",
      conclusion: verdict.ok ? "success" : "failure",
      output: {
        title: verdict.title,
        summary: configured
          ? verdict.summary
          : `${verdict.summary}\n\nNo reviewers are configured: add reviewers.users or reviewers.teams to .github/livepatch.yml on the default branch.`,
        ...(verdict.text ? { text: verdict.text } : {}),
      },
      externalId: formatPushers(pushers),
    },
    appId,
  );
  return verdict;
}

/** Who pushed to this head: its own record, the previous head's, and this push's sender. */
async function recordedPushers(
  octokit: Octokit,
  ref: RepoRef,
  headSha: string,
  appId: number | undefined,
  push: Push | undefined,
): Promise<string[]> {
  const own = await findOurRun(octokit, ref, headSha, CHECK.review, appId);
  const before =
    push?.before !== undefined
      ? await findOurRun(octokit, ref, push.before, CHECK.review, appId)
      : undefined;
  return [
    ...new Set([
      ...parsePushers(own?.external_id),
      ...parsePushers(before?.external_id),
      ...(push ? [push.sender] : []),
    ]),
  ];
}
