/**
 * A run's jobs and artifacts: jobs list and get, job logs (302 to the log
 * text in storage), artifacts list (for a run or the repository, `name`
 * filter), get, delete, and the zip download: a 302 to a storage URL that
 * lives one minute, or 410 once the artifact has expired.
 */
import { actionsContext, byId, type ActionsDb } from "../workflow-runs/actions-db.js";
import type { ForgeContext } from "../context.js";
import { ForgeHttpError, notFound } from "../http/errors.js";
import { paginate } from "../http/paginate.js";
import { noContent, ok, type ForgeRequest, type Reply, type Routes } from "../http/types.js";
import { artifactExpired, artifactJson, jobJson } from "../model/actions-json.js";
import type { ArtifactRow } from "../model/actions-rows.js";
import type { RepoRow } from "../model/rows.js";
import { storageFor } from "../downloads/downloads.js";

const DOWNLOAD_TTL_S = 60;

export function registerActionsArtifacts(routes: Routes, ctx: ForgeContext, db: ActionsDb): void {
  const storage = storageFor(ctx);
  // An artifact as listed: with the size a lying storage claims, if a test set one.
  const listed = (a: ArtifactRow): ArtifactRow => {
    const size = ctx.faults.artifactLie(a.name)?.listedSize;
    return size === undefined ? a : { ...a, size_in_bytes: size };
  };
  const listArtifacts = (req: ForgeRequest, repo: RepoRow, rows: ArtifactRow[]): Reply => {
    const name = req.query.get("name");
    const all = rows.filter((a) => name === null || a.name === name).sort((a, b) => b.id - a.id);
    const page = paginate(all, req.url);
    const c = actionsContext(ctx, repo);
    return ok(
      {
        total_count: all.length,
        artifacts: page.items.map((a) =>
          artifactJson(c, listed(a), db.runs.get(a.runId), ctx.now()),
        ),
      },
      page.link ? { Link: page.link } : undefined,
    );
  };

  routes.api("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}/jobs", (req) => {
    const repo = ctx.repoFor(req, "actions", "read");
    const run = byId(db.runs, repo, req, "run_id");
    const all = db.jobs.filter((j) => j.runId === run.id);
    const page = paginate(all, req.url);
    const c = actionsContext(ctx, repo);
    return ok(
      { total_count: all.length, jobs: page.items.map((j) => jobJson(c, j, run)) },
      page.link ? { Link: page.link } : undefined,
    );
  });

  routes.api("GET", "/repos/{owner}/{repo}/actions/jobs/{job_id}", (req) => {
    const repo = ctx.repoFor(req, "actions", "read");
    const job = byId(db.jobs, repo, req, "job_id");
    const run = db.runs.get(job.runId);
    if (!run) throw notFound();
    return ok(jobJson(actionsContext(ctx, repo), job, run));
  });

  routes.api("GET", "/repos/{owner}/{repo}/actions/jobs/{job_id}/logs", (req): Reply => {
    const repo = ctx.repoFor(req, "actions", "read");
    const job = byId(db.jobs, repo, req, "job_id");
    if (!job.log) throw notFound();
    return {
      status: 302,
      headers: { Location: storage.url("log", String(job.id), DOWNLOAD_TTL_S) },
    };
  });

  routes.api("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts", (req) => {
    const repo = ctx.repoFor(req, "actions", "read");
    const run = byId(db.runs, repo, req, "run_id");
    return listArtifacts(
      req,
      repo,
      db.artifacts.filter((a) => a.runId === run.id),
    );
  });

  routes.api("GET", "/repos/{owner}/{repo}/actions/artifacts", (req) => {
    const repo = ctx.repoFor(req, "actions", "read");
    return listArtifacts(
      req,
      repo,
      db.artifacts.filter((a) => a.repoId === repo.id),
    );
  });

  routes.api("GET", "/repos/{owner}/{repo}/actions/artifacts/{artifact_id}", (req) => {
    const repo = ctx.repoFor(req, "actions", "read");
    const a = byId(db.artifacts, repo, req, "artifact_id");
    return ok(artifactJson(actionsContext(ctx, repo), listed(a), db.runs.get(a.runId), ctx.now()));
  });

  routes.api("DELETE", "/repos/{owner}/{repo}/actions/artifacts/{artifact_id}", async (req) => {
    const repo = ctx.repoFor(req, "actions", "write");
    const a = byId(db.artifacts, repo, req, "artifact_id");
    db.artifacts.remove(a.id);
    await ctx.store.commit();
    await ctx.blobs.remove(a.blobKey);
    return noContent();
  });

  routes.api(
    "GET",
    "/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}",
    (req): Reply => {
      const repo = ctx.repoFor(req, "actions", "read");
      const a = byId(db.artifacts, repo, req, "artifact_id");
      if (req.params.archive_format !== "zip") throw notFound();
      if (artifactExpired(a, ctx.now())) throw new ForgeHttpError(410, "Artifact has expired");
      return {
        status: 302,
        headers: { Location: storage.url("artifact", String(a.id), DOWNLOAD_TTL_S) },
      };
    },
  );
}
