/**
 * Check runs: create and update (GitHub Apps only; annotations appended at
 * most 50 per request), get, list annotations, rerequest. Suites are made
 * implicitly per (head_sha, app); a suite whose runs have all completed
 * raises `check_suite.completed`. Lists live in check-lists.ts.
 */
import type { Principal } from "../auth/principal.js";
import { readCheckInput, type CheckInput } from "../checks/check-input.js";
import { emitCheckRun, emitSuiteCompleted } from "../checks/check-events.js";
import { requiredChecksGate, suiteState } from "../checks/check-state.js";
import {
  commitOf,
  jsonContext,
  openChecksDb,
  repoPaths,
  suiteFor,
  type ChecksDb,
} from "../checks/checks-db.js";
import type { ForgeContext } from "../context.js";
import { ForgeHttpError, notAccessibleByIntegration, notFound } from "../http/errors.js";
import { paginate } from "../http/paginate.js";
import { created, ok, type ForgeRequest, type Routes } from "../http/types.js";
import { annotationJson, checkRunJson } from "../model/check-json.js";
import type { CheckRunRow } from "../model/check-rows.js";
import type { AppRow, RepoRow, UserRow } from "../model/rows.js";
import { registerCheckLists } from "./check-lists.js";

/** Only GitHub Apps write check runs; a personal token gets GitHub's 403. */
function requireCheckApp(p: Principal): AppRow {
  if (p.kind === "installation" && p.app) return p.app;
  throw new ForgeHttpError(403, "You must authenticate via a GitHub App.");
}

export function registerChecks(routes: Routes, ctx: ForgeContext): void {
  const db = openChecksDb(ctx);
  registerCheckLists(routes, ctx, db);
  // The merge gate for protected branches reads the runs and statuses kept here.
  ctx.hooks.requiredChecksState = (repo, sha, checks) =>
    requiredChecksGate(
      checks,
      db.runs.filter((r) => r.repoId === repo.id && r.head_sha === sha),
      db.statuses.filter((s) => s.repoId === repo.id && s.sha === sha),
    );

  const runOf = (req: ForgeRequest, repo: RepoRow): CheckRunRow => {
    const run = db.runs.get(Number(req.params.check_run_id));
    if (!run || run.repoId !== repo.id) throw notFound();
    return run;
  };
  const render = (repo: RepoRow, run: CheckRunRow): Record<string, unknown> =>
    checkRunJson(jsonContext(ctx, repo, run.appId), run);

  routes.api("POST", "/repos/{owner}/{repo}/check-runs", async (req) => {
    const repo = ctx.repoFor(req, "checks", "write");
    const app = requireCheckApp(req.principal);
    const input = readCheckInput(await req.body(), true);
    const sha = input.head_sha ?? "";
    const commit = await commitOf(ctx, repo, sha);
    if (commit.sha !== sha) throw new ForgeHttpError(422, `No commit found for SHA: ${sha}`);
    const suite = await suiteFor(ctx, db, repo, app, sha);
    const now = ctx.now().toISOString();
    const status = input.status ?? "queued";
    const run = db.runs.insert({
      repoId: repo.id,
      suiteId: suite.id,
      appId: app.id,
      head_sha: sha,
      name: input.name ?? "",
      status,
      conclusion: input.conclusion ?? null,
      started_at: input.started_at ?? now,
      completed_at: status === "completed" ? (input.completed_at ?? now) : null,
      external_id: input.external_id ?? "",
      details_url: input.details_url ?? null,
      output: input.output ?? { title: null, summary: null, text: null },
      annotationsCount: 0,
    });
    addAnnotations(db, run, input);
    const sender = ctx.actor(req.principal);
    emitCheckRun(ctx, db, repo, run, "created", sender);
    if (run.status === "completed") emitCheckRun(ctx, db, repo, run, "completed", sender);
    await refreshSuite(ctx, db, repo, run.suiteId, sender);
    return created(render(repo, run));
  });

  routes.api("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}", async (req) => {
    const repo = ctx.repoFor(req, "checks", "write");
    const app = requireCheckApp(req.principal);
    const run = runOf(req, repo);
    if (run.appId !== app.id) throw notAccessibleByIntegration();
    const input = readCheckInput(await req.body(), false);
    const wasCompleted = run.status === "completed";
    const completing = input.status === "completed" && !wasCompleted;
    db.runs.update(run.id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(input.conclusion !== undefined ? { conclusion: input.conclusion } : {}),
      ...(input.started_at !== undefined ? { started_at: input.started_at } : {}),
      ...(input.external_id !== undefined ? { external_id: input.external_id } : {}),
      ...(input.details_url !== undefined ? { details_url: input.details_url } : {}),
      ...(input.output ? { output: input.output } : {}),
      ...(completing || input.completed_at !== undefined
        ? { completed_at: input.completed_at ?? ctx.now().toISOString() }
        : {}),
    });
    addAnnotations(db, run, input);
    const sender = ctx.actor(req.principal);
    if (completing) emitCheckRun(ctx, db, repo, run, "completed", sender);
    await refreshSuite(ctx, db, repo, run.suiteId, sender);
    return ok(render(repo, run));
  });

  routes.api("GET", "/repos/{owner}/{repo}/check-runs/{check_run_id}", (req) => {
    const repo = ctx.repoFor(req, "checks", "read");
    return ok(render(repo, runOf(req, repo)));
  });

  routes.api("GET", "/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations", (req) => {
    const repo = ctx.repoFor(req, "checks", "read");
    const run = runOf(req, repo);
    const { repoWeb } = repoPaths(ctx, repo);
    const page = paginate(
      db.annotations.filter((a) => a.runId === run.id),
      req.url,
    );
    return ok(
      page.items.map((a) => annotationJson(repoWeb, run.head_sha, a)),
      page.link ? { Link: page.link } : undefined,
    );
  });

  routes.api("POST", "/repos/{owner}/{repo}/check-runs/{check_run_id}/rerequest", (req) => {
    const repo = ctx.repoFor(req, "checks", "write");
    const run = runOf(req, repo);
    emitCheckRun(ctx, db, repo, run, "rerequested", ctx.actor(req.principal));
    return created({});
  });
}

/** Appends a request's annotations (GitHub never replaces earlier ones). */
function addAnnotations(db: ChecksDb, run: CheckRunRow, input: CheckInput): void {
  for (const a of input.annotations) db.annotations.insert({ ...a, runId: run.id });
  db.runs.update(run.id, { annotationsCount: run.annotationsCount + input.annotations.length });
}

/** Recomputes a suite from its runs; its completion raises `check_suite.completed`. */
async function refreshSuite(
  ctx: ForgeContext,
  db: ChecksDb,
  repo: RepoRow,
  suiteId: number,
  sender: UserRow,
): Promise<void> {
  const suite = db.suites.get(suiteId);
  if (!suite) return;
  const next = suiteState(db.runs.filter((r) => r.suiteId === suiteId));
  const completing = next.status === "completed" && suite.status !== "completed";
  if (next.status === suite.status && next.conclusion === suite.conclusion) return;
  db.suites.update(suiteId, { ...next, updated_at: ctx.now().toISOString() });
  if (completing) await emitSuiteCompleted(ctx, db, repo, suite, sender);
}
