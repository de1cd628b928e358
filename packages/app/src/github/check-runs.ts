/**
 * Check runs, idempotently: looked up by name and head SHA (and our app id)
 * before one is created, so a redelivered event updates instead of adding a
 * second run. Annotations beyond 50 go in further updates, which GitHub appends.
 * A run that already shows the wanted state is left alone: a redelivery then
 * writes nothing (GitHub would append its annotations a second time, and
 * every write counts against the app's write pace).
 */
import {
  annotationBatches,
  type Annotation,
  type CheckOutput,
  type Conclusion,
} from "../checks.js";
import type { Octokit, RepoRef } from "./types.js";

export interface CheckState {
  status: "queued" | "in_progress" | "completed";
  conclusion?: Conclusion;
  output: CheckOutput;
  detailsUrl?: string;
  /** State the app keeps on its own run (only the app can write it). */
  externalId?: string;
}

/** What the app compares of an existing run. */
export interface ExistingRun {
  id: number;
  status: string;
  conclusion: string | null;
  details_url?: string | null;
  external_id?: string | null;
  output: {
    title: string | null;
    summary: string | null;
    text: string | null;
    annotations_count: number;
  };
}

/** Our latest check run `name` on `sha`, if any. */
export async function findOurRun(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
  name: string,
  appId?: number,
): Promise<ExistingRun | undefined> {
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
  return ours.sort((a, b) => b.id - a.id)[0];
}

/** The id of our latest check run `name` on `sha`, if any. */
export async function findCheckRun(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
  name: string,
  appId?: number,
): Promise<number | undefined> {
  return (await findOurRun(octokit, ref, sha, name, appId))?.id;
}

/** Whether `run` shows `state` already, apart from its annotations. */
export function showsState(run: ExistingRun, state: CheckState): boolean {
  const o = state.output;
  return (
    run.status === state.status &&
    (run.conclusion ?? undefined) === state.conclusion &&
    (run.details_url ?? undefined) === (state.detailsUrl ?? run.details_url ?? undefined) &&
    (state.externalId === undefined || run.external_id === state.externalId) &&
    run.output.title === o.title &&
    run.output.summary === o.summary &&
    (run.output.text ?? undefined) === o.text &&
    run.output.annotations_count === (o.annotations?.length ?? 0)
  );
}

const annotationKey = (a: Annotation): string =>
  JSON.stringify([a.path, a.start_line, a.end_line, a.annotation_level, a.message, a.title ?? ""]);

async function hasAnnotations(
  octokit: Octokit,
  ref: RepoRef,
  id: number,
  wanted: readonly Annotation[],
): Promise<boolean> {
  if (wanted.length === 0) return true;
  const got = await octokit.paginate(octokit.rest.checks.listAnnotations, {
    ...ref,
    check_run_id: id,
    per_page: 100,
  });
  const have = got
    .map((a) =>
      annotationKey({
        path: a.path,
        start_line: a.start_line,
        end_line: a.end_line,
        annotation_level: (a.annotation_level ?? "notice") as Annotation["annotation_level"],
        message: a.message ?? "",
        ...(a.title ? { title: a.title } : {}),
      }),
    )
    .sort();
  const want = wanted.map(annotationKey).sort();
  return have.length === want.length && have.every((k, i) => k === want[i]);
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
    ...(state.externalId !== undefined ? { external_id: state.externalId } : {}),
    ...(state.status === "completed" ? { completed_at: new Date().toISOString() } : {}),
  };
  const existing = await findOurRun(octokit, ref, sha, name, appId);
  if (
    existing !== undefined &&
    showsState(existing, state) &&
    (await hasAnnotations(octokit, ref, existing.id, state.output.annotations ?? []))
  )
    return existing.id;
  let id = existing?.id;
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
