/**
 * The Actions area's tables and what its routes and the orchestrator share:
 * workflow records (made when a file is first seen), rendering, lookups
 * that answer 404, and the artifact and log bytes served from storage.
 */
import type { ForgeContext } from "../context.js";
import { notFound } from "../http/errors.js";
import type { ForgeRequest } from "../http/types.js";
import { runJson, type ActionsJsonContext } from "../model/actions-json.js";
import type { ArtifactRow, JobRow, RunRow, WorkflowRow } from "../model/actions-rows.js";
import { ownerOf } from "../model/db.js";
import type { RepoRow } from "../model/rows.js";
import type { Table } from "../persistence/state-tables.js";
import { storageFor } from "../downloads/downloads.js";
import { workflowName, type WorkflowFile } from "./workflow-files.js";

export interface ActionsDb {
  workflows: Table<WorkflowRow>;
  runs: Table<RunRow>;
  jobs: Table<JobRow>;
  artifacts: Table<ArtifactRow>;
}

export function openActionsDb(ctx: ForgeContext): ActionsDb {
  const db: ActionsDb = {
    workflows: ctx.store.table("workflows"),
    runs: ctx.store.table("workflow_runs"),
    jobs: ctx.store.table("workflow_jobs"),
    artifacts: ctx.store.table("artifacts"),
  };
  const storage = storageFor(ctx);
  storage.resolvers.set("artifact", (id) => {
    const a = db.artifacts.get(Number(id));
    return (
      a && {
        blobKey: a.blobKey,
        sha256: a.sha256,
        size: a.size_in_bytes,
        lastModified: a.updated_at,
        contentType: "application/zip",
        lie: ctx.faults.artifactLie(a.name),
      }
    );
  });
  storage.resolvers.set("log", (id) => {
    const j = db.jobs.get(Number(id));
    return (
      j?.log && {
        blobKey: j.log.blobKey,
        sha256: j.log.sha256,
        size: j.log.size,
        lastModified: j.completed_at ?? j.started_at,
        contentType: "text/plain",
      }
    );
  });
  return db;
}

export function actionsContext(ctx: ForgeContext, repo: RepoRow): ActionsJsonContext {
  const full = `${ownerOf(ctx.db, repo).login}/${repo.name}`;
  return { repoApi: `${ctx.urls.api}/repos/${full}`, repoWeb: `${ctx.urls.web}/${full}` };
}

export function renderRun(ctx: ForgeContext, repo: RepoRow, r: RunRow): Record<string, unknown> {
  const actor = ctx.db.users.get(r.actorId) ?? ownerOf(ctx.db, repo);
  return runJson(actionsContext(ctx, repo), r, {
    actor: ctx.json.user(actor),
    repository: ctx.json.repo(repo),
  });
}

/** The record for a workflow file, made the first time the file is seen. */
export function ensureWorkflow(
  ctx: ForgeContext,
  db: ActionsDb,
  repo: RepoRow,
  file: WorkflowFile,
): WorkflowRow {
  const found = db.workflows.find((w) => w.repoId === repo.id && w.path === file.path);
  const name = workflowName(file);
  if (found) {
    if (found.name !== name)
      db.workflows.update(found.id, { name, updated_at: ctx.now().toISOString() });
    return found;
  }
  const now = ctx.now().toISOString();
  return db.workflows.insert({
    repoId: repo.id,
    path: file.path,
    name,
    created_at: now,
    updated_at: now,
  });
}

/** `{workflow_id}`: a numeric id or the file name (`build.yml`), as GitHub accepts both. */
export function workflowOf(db: ActionsDb, repo: RepoRow, id: string | undefined): WorkflowRow {
  const key = id ?? "";
  const w = /^\d+$/.test(key)
    ? db.workflows.get(Number(key))
    : db.workflows.find((x) => x.repoId === repo.id && x.path.split("/").pop() === key);
  if (!w || w.repoId !== repo.id) throw notFound();
  return w;
}

export function byId<T extends { repoId: number }>(
  table: Table<T & { id: number }>,
  repo: RepoRow,
  req: ForgeRequest,
  param: string,
): T & { id: number } {
  const row = table.get(Number(req.params[param]));
  if (!row || row.repoId !== repo.id) throw notFound();
  return row;
}
