/**
 * Actions: workflows (list, get by id or file name) and workflow runs (get,
 * list for the repository or a workflow, filtered by event, branch,
 * head_sha, status or conclusion, actor). Jobs and artifacts are in
 * actions-artifacts.ts, dispatches in dispatches.ts; the run orchestration
 * behind the skeleton's repo-event hook is actions/orchestrator.ts.
 */
import {
  actionsContext,
  byId,
  ensureWorkflow,
  openActionsDb,
  renderRun,
  workflowOf,
} from "../workflow-runs/actions-db.js";
import { Orchestrator } from "../workflow-runs/orchestrator.js";
import { workflowFilesAt } from "../workflow-runs/workflow-files.js";
import type { ForgeContext } from "../context.js";
import { paginate } from "../http/paginate.js";
import { ok, type ForgeRequest, type Reply, type Routes } from "../http/types.js";
import { workflowJson } from "../model/actions-json.js";
import type { RunRow } from "../model/actions-rows.js";
import type { RepoRow } from "../model/rows.js";
import { registerActionsArtifacts } from "./actions-artifacts.js";
import { registerDispatches } from "./dispatches.js";

/** The `event`, `branch`, `head_sha`, `status` and `actor` filters of the runs lists. */
export function filterRuns(
  runs: readonly RunRow[],
  q: URLSearchParams,
  actorLogin: (id: number) => string,
): RunRow[] {
  const event = q.get("event");
  const branch = q.get("branch");
  const sha = q.get("head_sha");
  const status = q.get("status");
  const actor = q.get("actor");
  return runs
    .filter(
      (r) =>
        (event === null || r.event === event) &&
        (branch === null || r.head_branch === branch) &&
        (sha === null || r.head_sha === sha) &&
        (status === null || r.status === status || r.conclusion === status) &&
        (actor === null || actorLogin(r.actorId) === actor),
    )
    .sort((a, b) => b.id - a.id);
}

export function registerActions(routes: Routes, ctx: ForgeContext): void {
  const db = openActionsDb(ctx);
  const orchestrator = new Orchestrator(ctx, db);
  orchestrator.recover();
  ctx.background.track(ctx.store.commit());
  ctx.hooks.onRepoEvent = (repo, event) => orchestrator.onRepoEvent(repo, event);
  registerActionsArtifacts(routes, ctx, db);
  registerDispatches(routes, ctx, db, orchestrator);

  const listRuns = (req: ForgeRequest, repo: RepoRow, runs: RunRow[]): Reply => {
    const all = filterRuns(runs, req.query, (id) => ctx.db.users.get(id)?.login ?? "");
    const page = paginate(all, req.url);
    return ok(
      { total_count: all.length, workflow_runs: page.items.map((r) => renderRun(ctx, repo, r)) },
      page.link ? { Link: page.link } : undefined,
    );
  };

  routes.api("GET", "/repos/{owner}/{repo}/actions/workflows", async (req) => {
    const repo = ctx.repoFor(req, "actions", "read");
    // GitHub lists the workflows of the default branch, and any that have run.
    const head = await ctx.git.resolve(repo.id, repo.default_branch);
    if (head !== undefined) {
      for (const f of await workflowFilesAt(ctx.git, repo.id, head))
        ensureWorkflow(ctx, db, repo, f);
    }
    const all = db.workflows.filter((w) => w.repoId === repo.id);
    const page = paginate(all, req.url);
    return ok(
      {
        total_count: all.length,
        workflows: page.items.map((w) => workflowJson(actionsContext(ctx, repo), w)),
      },
      page.link ? { Link: page.link } : undefined,
    );
  });

  routes.api("GET", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}", (req) => {
    const repo = ctx.repoFor(req, "actions", "read");
    return ok(
      workflowJson(actionsContext(ctx, repo), workflowOf(db, repo, req.params.workflow_id)),
    );
  });

  routes.api("GET", "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs", (req) => {
    const repo = ctx.repoFor(req, "actions", "read");
    const w = workflowOf(db, repo, req.params.workflow_id);
    return listRuns(
      req,
      repo,
      db.runs.filter((r) => r.workflowId === w.id),
    );
  });

  routes.api("GET", "/repos/{owner}/{repo}/actions/runs", (req) => {
    const repo = ctx.repoFor(req, "actions", "read");
    return listRuns(
      req,
      repo,
      db.runs.filter((r) => r.repoId === repo.id),
    );
  });

  routes.api("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}", (req) => {
    const repo = ctx.repoFor(req, "actions", "read");
    return ok(renderRun(ctx, repo, byId(db.runs, repo, req, "run_id")));
  });
}
