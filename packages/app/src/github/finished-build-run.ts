/**
 * The build workflow's finished pull_request run for a commit, as the API
 * lists it: what the pull_request handler completes its build checks from
 * when the run's workflow_run was handled before those checks existed (a
 * workflow that fails in seconds, a fork's run, deliveries out of order).
 */
import { workflowFileOf } from "../provenance.js";
import { prRunRef, type RunRef } from "./build-results.js";
import type { Octokit, RepoRef } from "./types.js";

/**
 * The newest completed `pull_request` run of `workflowPath` on `sha`, or
 * undefined. Several runs for one commit (a reopened PR, a new run started
 * by hand) are decided by the newest one that completed: the one created
 * last (the highest id) built the PR's latest merge ref; one still running
 * reports through its own workflow_run.
 */
export async function finishedBuildRun(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
  workflowPath: string,
): Promise<RunRef | undefined> {
  const runs = await octokit.paginate(octokit.rest.actions.listWorkflowRunsForRepo, {
    ...ref,
    head_sha: sha,
    event: "pull_request",
    status: "completed",
    per_page: 100,
  });
  // The filters are the server's; the rule is checked on each run again.
  const newest = runs
    .filter(
      (r) =>
        r.head_sha === sha &&
        r.event === "pull_request" &&
        r.status === "completed" &&
        workflowFileOf(r.path) === workflowPath,
    )
    .reduce<(typeof runs)[number] | undefined>((a, r) => (a && a.id > r.id ? a : r), undefined);
  return newest && prRunRef(newest);
}
