/**
 * The checks area's tables and the lookups its routes share: the suite of
 * a (repository, sha, app), rendering context, commits named by sha or ref.
 */
import type { ForgeContext } from "../context.js";
import { readCommit, type CommitInfo } from "../git/commit-log.js";
import { ForgeHttpError, notFound } from "../http/errors.js";
import { integrationJson } from "../model/app-json.js";
import type { AnnotationRow, CheckRunRow, CheckSuiteRow, StatusRow } from "../model/check-rows.js";
import type { CheckJsonContext } from "../model/check-json.js";
import { ownerOf } from "../model/db.js";
import type { AppRow, RepoRow } from "../model/rows.js";
import type { Table } from "../persistence/state-tables.js";

export interface ChecksDb {
  suites: Table<CheckSuiteRow>;
  runs: Table<CheckRunRow>;
  annotations: Table<AnnotationRow>;
  statuses: Table<StatusRow>;
}

export function openChecksDb(ctx: ForgeContext): ChecksDb {
  return {
    suites: ctx.store.table("check_suites"),
    runs: ctx.store.table("check_runs"),
    annotations: ctx.store.table("check_annotations"),
    statuses: ctx.store.table("statuses"),
  };
}

export function repoPaths(ctx: ForgeContext, repo: RepoRow): { repoApi: string; repoWeb: string } {
  const full = `${ownerOf(ctx.db, repo).login}/${repo.name}`;
  return { repoApi: `${ctx.urls.api}/repos/${full}`, repoWeb: `${ctx.urls.web}/${full}` };
}

export function appJson(ctx: ForgeContext, appId: number): Record<string, unknown> {
  const app = ctx.db.apps.get(appId);
  const owner = app && ctx.db.users.get(app.ownerId);
  if (!app || !owner) throw notFound();
  return integrationJson(ctx.urls, app, owner);
}

export function jsonContext(ctx: ForgeContext, repo: RepoRow, appId: number): CheckJsonContext {
  return { ...repoPaths(ctx, repo), app: appJson(ctx, appId) };
}

const noCommit = (sha: string): ForgeHttpError =>
  new ForgeHttpError(422, `No commit found for SHA: ${sha}`);

/** The commit `ref` (sha, branch, tag) names in `repo`; GitHub's 422 when there is none. */
export async function commitOf(ctx: ForgeContext, repo: RepoRow, ref: string): Promise<CommitInfo> {
  const sha = await ctx.git.resolve(repo.id, ref);
  const commit = sha === undefined ? undefined : await readCommit(ctx.git, repo.id, sha);
  if (!commit) throw noCommit(ref);
  return commit;
}

/** A branch whose tip is `sha`, preferring the default branch (a suite's head_branch). */
export async function branchAt(
  ctx: ForgeContext,
  repo: RepoRow,
  sha: string,
): Promise<string | null> {
  const branches = [...(await ctx.git.refs(repo.id))]
    .filter(([ref, at]) => ref.startsWith("refs/heads/") && at === sha)
    .map(([ref]) => ref.slice("refs/heads/".length));
  return branches.includes(repo.default_branch) ? repo.default_branch : (branches[0] ?? null);
}

/** The suite for (repo, sha, app), created on first use as GitHub does. */
export async function suiteFor(
  ctx: ForgeContext,
  db: ChecksDb,
  repo: RepoRow,
  app: AppRow,
  sha: string,
): Promise<CheckSuiteRow> {
  const found = db.suites.find(
    (s) => s.repoId === repo.id && s.appId === app.id && s.head_sha === sha,
  );
  if (found) return found;
  const now = ctx.now().toISOString();
  return db.suites.insert({
    repoId: repo.id,
    appId: app.id,
    head_sha: sha,
    head_branch: await branchAt(ctx, repo, sha),
    status: "queued",
    conclusion: null,
    created_at: now,
    updated_at: now,
  });
}
