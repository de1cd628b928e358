/**
 * Check runs, idempotently: looked up by name and head SHA (and our app id)
 * before one is created, so a redelivered event updates instead of adding a
 * second run. Annotations beyond 50 go in further updates, which GitHub appends.
 */
import { annotationBatches, type CheckOutput, type Conclusion } from "../checks.js";
import type { Octokit, RepoRef } from "./types.js";

export interface CheckState {
  status: "queued" | "in_progress" | "completed";
  conclusion?: Conclusion;
  output: CheckOutput;
  detailsUrl?: string;
}

/** The id of our latest check run `name` on `sha`, if any. */
export async function findCheckRun(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
  name: string,
  appId?: number,
): Promise<number | undefined> {
  const { data } = await octokit.rest.checks.listForRef({
    ...ref,
    ref: sha,
    check_name: name,
    filter: "latest",
    per_page: 100,
  });
  const ours = data.check_runs.filter(
    (r) => r.name === name && (appId === undefined || r.app?.id === appId),
  );
  return ours.sort((a, b) => b.id - a.id)[0]?.id;
}

/** Creates or updates check run `name` on `sha` to `state`; returns its id. */
export async function upsertCheckRun(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
  name: string,
  state: CheckState,
  appId?: number,
): Promise<number> {
  const [first = [], ...rest] = annotationBatches(state.output.annotations ?? []);
  const output = { ...state.output, annotations: first };
  const fields = {
    status: state.status,
    output,
    ...(state.conclusion ? { conclusion: state.conclusion } : {}),
    ...(state.detailsUrl ? { details_url: state.detailsUrl } : {}),
    ...(state.status === "completed" ? { completed_at: new Date().toISOString() } : {}),
  };
  let id = await findCheckRun(octokit, ref, sha, name, appId);
  if (id === undefined) {
    id = (await octokit.rest.checks.create({ ...ref, head_sha: sha, name, ...fields })).data.id;
  } else {
    await octokit.rest.checks.update({ ...ref, check_run_id: id, ...fields });
  }
  for (const batch of rest) {
    await octokit.rest.checks.update({
      ...ref,
      check_run_id: id,
      output: { title: state.output.title, summary: state.output.summary, annotations: batch },
    });
  }
  return id;
}
