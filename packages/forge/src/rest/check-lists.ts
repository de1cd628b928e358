/**
 * Listing checks: runs for a ref or a suite (`check_name`, `status`,
 * `filter=latest|all`, `app_id`), a suite, and the suites for a ref.
 */
import { commitOf, jsonContext, type ChecksDb } from "../checks/checks-db.js";
import type { ForgeContext } from "../context.js";
import { invalidField, notFound } from "../http/errors.js";
import { paginate } from "../http/paginate.js";
import { ok, type ForgeRequest, type Reply, type Routes } from "../http/types.js";
import { checkRunJson, checkSuiteJson } from "../model/check-json.js";
import type { CheckRunRow, CheckSuiteRow } from "../model/check-rows.js";
import type { RepoRow } from "../model/rows.js";

/** `filter=latest` (the default) keeps the newest run per (name, app). */
export function filterRuns(runs: readonly CheckRunRow[], query: URLSearchParams): CheckRunRow[] {
  const filter = query.get("filter") ?? "latest";
  if (filter !== "latest" && filter !== "all") {
    throw invalidField("filter", `"${filter}" is not a member of ["latest","all"]`);
  }
  const name = query.get("check_name");
  const status = query.get("status");
  const appId = query.get("app_id");
  let out = [...runs].sort((a, b) => b.id - a.id);
  if (name !== null) out = out.filter((r) => r.name === name);
  if (status !== null) out = out.filter((r) => r.status === status);
  if (appId !== null) out = out.filter((r) => String(r.appId) === appId);
  if (filter === "latest") {
    const seen = new Set<string>();
    out = out.filter((r) => {
      const key = `${r.appId}\u0000${r.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  return out;
}

export function registerCheckLists(routes: Routes, ctx: ForgeContext, db: ChecksDb): void {
  const listRuns = (req: ForgeRequest, repo: RepoRow, runs: CheckRunRow[]): Reply => {
    const all = filterRuns(runs, req.query);
    const page = paginate(all, req.url);
    return ok(
      {
        total_count: all.length,
        check_runs: page.items.map((r) => checkRunJson(jsonContext(ctx, repo, r.appId), r)),
      },
      page.link ? { Link: page.link } : undefined,
    );
  };
  const suiteJson = async (repo: RepoRow, s: CheckSuiteRow): Promise<Record<string, unknown>> =>
    checkSuiteJson(jsonContext(ctx, repo, s.appId), s, {
      repository: ctx.json.repo(repo),
      headCommit: await commitOf(ctx, repo, s.head_sha),
      runsCount: db.runs.filter((r) => r.suiteId === s.id).length,
    });
  const suiteOf = (req: ForgeRequest, repo: RepoRow): CheckSuiteRow => {
    const suite = db.suites.get(Number(req.params.check_suite_id));
    if (!suite || suite.repoId !== repo.id) throw notFound();
    return suite;
  };

  routes.api("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs", async (req) => {
    const repo = ctx.repoFor(req, "checks", "read");
    const { sha } = await commitOf(ctx, repo, req.params.ref ?? "");
    return listRuns(
      req,
      repo,
      db.runs.filter((r) => r.repoId === repo.id && r.head_sha === sha),
    );
  });

  routes.api("GET", "/repos/{owner}/{repo}/check-suites/{check_suite_id}/check-runs", (req) => {
    const repo = ctx.repoFor(req, "checks", "read");
    const suite = suiteOf(req, repo);
    return listRuns(
      req,
      repo,
      db.runs.filter((r) => r.suiteId === suite.id),
    );
  });

  routes.api("GET", "/repos/{owner}/{repo}/check-suites/{check_suite_id}", async (req) => {
    const repo = ctx.repoFor(req, "checks", "read");
    return ok(await suiteJson(repo, suiteOf(req, repo)));
  });

  routes.api("GET", "/repos/{owner}/{repo}/commits/{ref}/check-suites", async (req) => {
    const repo = ctx.repoFor(req, "checks", "read");
    const { sha } = await commitOf(ctx, repo, req.params.ref ?? "");
    const appId = req.query.get("app_id");
    const all = db.suites.filter(
      (s) =>
        s.repoId === repo.id && s.head_sha === sha && (appId === null || String(s.appId) === appId),
    );
    const page = paginate(all, req.url);
    return ok(
      {
        total_count: all.length,
        check_suites: await Promise.all(page.items.map((s) => suiteJson(repo, s))),
      },
      page.link ? { Link: page.link } : undefined,
    );
  });
}
