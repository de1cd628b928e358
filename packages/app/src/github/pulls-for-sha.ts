/**
 * Pull requests for a commit. A fork PR's runs and check runs carry an empty
 * `pull_requests`, so the app maps the head SHA to the PR itself.
 */
import type { Octokit, RepoRef } from "./types.js";

export interface PullRef {
  number: number;
  headSha: string;
  author: string;
  /** The branch it targets. */
  base: string;
}

/** Open PRs whose head is `sha`. */
export async function openPullsForHead(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
): Promise<PullRef[]> {
  const pulls = await octokit.paginate(octokit.rest.pulls.list, {
    ...ref,
    state: "open",
    per_page: 100,
  });
  return pulls
    .filter((p) => p.head.sha === sha)
    .map((p) => ({
      number: p.number,
      headSha: p.head.sha,
      author: p.user?.login ?? "",
      base: p.base.ref,
    }));
}

/** Merged PRs whose merge produced `sha` (the commit a push build ran on). */
export async function mergedPullsFor(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
): Promise<number[]> {
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
    ...ref,
    commit_sha: sha,
  });
  return data
    .filter((p) => p.merged_at !== null)
    .map((p) => p.number)
    .sort((a, b) => a - b);
}
