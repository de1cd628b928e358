/**
 * What the review rule needs about one pull request, read from the API:
 * its reviews, the accounts linked to its commits, and when its base last
 * changed. Identities are GitHub accounts (`author.login`), never e-mail text.
 */
import { COMMIT_LIST_CAP, type Review } from "../gate.js";
import type { PullRef } from "./pulls-for-sha.js";
import type { Octokit, RepoRef } from "./types.js";

export interface PullFacts {
  reviews: Review[];
  committers: string[];
  commitsCapped: boolean;
  baseChangedAt: string | null;
}

/** GitHub's committer on commits made in its web UI: not a person. */
const WEB_FLOW = "web-flow";

export async function pullFacts(octokit: Octokit, ref: RepoRef, pull: PullRef): Promise<PullFacts> {
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
    ...ref,
    pull_number: pull.number,
    per_page: 100,
  });
  // GitHub lists at most 250 commits of a pull request, however many it has.
  const commits = await octokit.paginate(octokit.rest.pulls.listCommits, {
    ...ref,
    pull_number: pull.number,
    per_page: 100,
  });
  const committers = commits
    .flatMap((c) => [c.author?.login, c.committer?.login])
    .filter((l): l is string => !!l && l !== WEB_FLOW);
  return {
    reviews: reviews.map((r) => ({
      login: r.user?.login ?? "",
      state: r.state,
      commitId: r.commit_id ?? null,
      submittedAt: r.submitted_at ?? null,
    })),
    committers: [...new Set(committers)],
    commitsCapped: commits.length >= COMMIT_LIST_CAP,
    baseChangedAt: await baseChangedAt(octokit, ref, pull.number),
  };
}

/** When the PR's base branch last changed: its latest `base_ref_changed` timeline event. */
async function baseChangedAt(
  octokit: Octokit,
  ref: RepoRef,
  issue: number,
): Promise<string | null> {
  const events = (await octokit.paginate(octokit.rest.issues.listEventsForTimeline, {
    ...ref,
    issue_number: issue,
    per_page: 100,
  })) as { event?: string; created_at?: string }[];
  let latest: string | null = null;
  for (const e of events)
    if (e.event === "base_ref_changed" && e.created_at !== undefined)
      if (latest === null || Date.parse(e.created_at) > Date.parse(latest)) latest = e.created_at;
  return latest;
}
