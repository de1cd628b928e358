/**
 * Starts and records workflow runs. For a push, a pull request or a
 * dispatch it reads `.github/workflows/*.y*ml` at the commit, asks the
 * runner whether each file's `on:` selects the event, records a run for
 * those that do (`workflow_run.requested`) and queues it; the queue runs
 * one at a time (in_progress, then completed with the conclusion).
 *
 * Runs do not survive a restart: a forge killed mid-run comes back with
 * those runs (and their unfinished jobs) completed as `cancelled`.
 */
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { ForgeContext } from "../context.js";
import { readCommit } from "../git/commit-log.js";
import { headCommitJson } from "../model/check-json.js";
import type { RunConclusion, SimpleCommitJson } from "../model/actions-rows.js";
import { findUser, ownerOf } from "../model/db.js";
import type { RepoRow, UserRow } from "../model/rows.js";
import type { RunResult, WorkflowEvent } from "../runner/contract.js";
import type { ForgeRunner } from "../types.js";
import { ensureWorkflow, type ActionsDb } from "./actions-db.js";
import { eventFacts } from "./event-facts.js";
import { emitWorkflowRun } from "./run-events.js";
import { RunQueue } from "./run-queue.js";
import { isTrustedRun } from "./run-trust.js";
import { issueRunToken } from "./run-token.js";
import { runnerHost } from "./runner-host.js";
import { workflowFilesAt } from "./workflow-files.js";

export interface Trigger {
  repo: RepoRow;
  event: WorkflowEvent;
  sha: string;
  actor: UserRow;
  /** Only this workflow file (workflow_dispatch). */
  onlyPath?: string;
}

export class Orchestrator {
  private readonly queue: RunQueue;

  constructor(
    private readonly ctx: ForgeContext,
    private readonly db: ActionsDb,
  ) {
    this.queue = new RunQueue(ctx.background, ctx.log);
  }

  /** Marks runs a killed forge left unfinished as cancelled. */
  recover(): void {
    const now = this.ctx.now().toISOString();
    for (const run of this.db.runs.filter((r) => r.status !== "completed")) {
      this.db.runs.update(run.id, {
        status: "completed",
        conclusion: "cancelled",
        updated_at: now,
      });
      for (const job of this.db.jobs.filter(
        (j) => j.runId === run.id && j.status !== "completed",
      )) {
        this.db.jobs.update(job.id, {
          status: "completed",
          conclusion: "cancelled",
          completed_at: now,
        });
      }
    }
  }

  /** The skeleton's repo-event hook: push and pull_request opened/synchronize/reopened. */
  onRepoEvent(repo: RepoRow, event: WorkflowEvent): void {
    const facts = eventFacts(event);
    const actor =
      (facts.actorLogin !== undefined ? findUser(this.ctx.db, facts.actorLogin) : undefined) ??
      ownerOf(this.ctx.db, repo);
    if (facts.sha === undefined) return;
    const sha = facts.sha;
    this.ctx.background.track(this.trigger({ repo, event, sha, actor }), (e) =>
      this.ctx.log(`forge: workflows not started: ${String(e)}`),
    );
  }

  /** Records and queues a run for every workflow the event selects; returns their ids. */
  async trigger(t: Trigger): Promise<number[]> {
    const runner = this.ctx.runner;
    if (!runner) return [];
    const files = (await workflowFilesAt(this.ctx.git, t.repo.id, t.sha)).filter(
      (f) => t.onlyPath === undefined || f.path === t.onlyPath,
    );
    const commit = await readCommit(this.ctx.git, t.repo.id, t.sha);
    const ids: number[] = [];
    for (const file of files) {
      const workflow = ensureWorkflow(this.ctx, this.db, t.repo, file);
      if (!selects(runner, file.text, t.event, this.ctx.log, file.path)) continue;
      const facts = eventFacts(t.event);
      const now = this.ctx.now().toISOString();
      const previous = this.db.runs.filter((r) => r.workflowId === workflow.id);
      const run = this.db.runs.insert({
        repoId: t.repo.id,
        workflowId: workflow.id,
        run_number: previous.reduce((n, r) => Math.max(n, r.run_number), 0) + 1,
        run_attempt: 1,
        name: workflow.name,
        display_title: facts.title ?? workflow.name,
        event: t.event.name,
        status: "queued",
        conclusion: null,
        head_sha: t.sha,
        head_branch: facts.headBranch,
        path: file.path,
        actorId: t.actor.id,
        created_at: now,
        updated_at: now,
        run_started_at: now,
        head_commit: commit ? (headCommitJson(commit) as unknown as SimpleCommitJson) : null,
        pull_requests: facts.pullRequests as unknown as Record<string, unknown>[],
      });
      ids.push(run.id);
      emitWorkflowRun(this.ctx, this.db, t.repo, run, "requested");
      this.queue.push(() => this.execute(t, run.id, file.text, runner));
    }
    await this.ctx.store.commit();
    return ids;
  }

  private async execute(
    t: Trigger,
    runId: number,
    text: string,
    runner: ForgeRunner,
  ): Promise<void> {
    const { ctx, db } = this;
    const started = ctx.now().toISOString();
    const run = db.runs.update(runId, {
      status: "in_progress",
      run_started_at: started,
      updated_at: started,
    });
    if (!run) return;
    await ctx.store.commit();
    emitWorkflowRun(ctx, db, t.repo, run, "in_progress");
    const workDir = join(ctx.dataDir, "runs", String(run.id));
    await rm(workDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true });
    const { token, revoke } = issueRunToken(ctx, t.repo, run.id);
    const forRun = runnerHost(ctx, db, t.repo, run);
    const host = forRun.host;
    const facts = eventFacts(t.event);
    let result: RunResult;
    try {
      result = await runner.runWorkflow({
        workflowPath: run.path,
        workflowText: text,
        event: t.event,
        workDir,
        host,
        runnerEnv: ctx.runnerEnv,
        ...(ctx.sandbox
          ? {
              sandbox: {
                trusted: isTrustedRun(t.event.name, facts.ref, t.repo.default_branch),
                // The forge's data directory holds the app's key and webhook secret.
                hide: [resolve(ctx.dataDir), ...(ctx.sandbox.hide ?? [])],
                caches: ctx.sandbox.caches ?? [],
              },
            }
          : {}),
        signal: ctx.background.runSignal,
        context: {
          repository: `${ownerOf(ctx.db, t.repo).login}/${t.repo.name}`,
          repositoryOwner: ownerOf(ctx.db, t.repo).login,
          sha: run.head_sha,
          ref: facts.ref,
          ...(facts.headRef !== undefined ? { headRef: facts.headRef } : {}),
          ...(facts.baseRef !== undefined ? { baseRef: facts.baseRef } : {}),
          runId: run.id,
          runNumber: run.run_number,
          runAttempt: run.run_attempt,
          actor: t.actor.login,
          workflow: run.name,
          token,
          serverUrl: ctx.urls.web,
          apiUrl: ctx.urls.api,
        },
      });
    } catch (e) {
      ctx.log(`forge: run ${run.id} (${run.path}) failed in the runner: ${String(e)}`);
      result = { conclusion: "failure", jobs: [] };
    }
    for (const job of result.jobs) host.onJob(job);
    await forRun.settled();
    revoke();
    const conclusion: RunConclusion = result.conclusion;
    const done = db.runs.update(run.id, {
      status: "completed",
      conclusion,
      updated_at: ctx.now().toISOString(),
    });
    await ctx.store.commit();
    if (done) emitWorkflowRun(ctx, db, t.repo, done, "completed");
    await rm(workDir, { recursive: true, force: true });
  }
}

function selects(
  runner: ForgeRunner,
  text: string,
  event: WorkflowEvent,
  log: (l: string) => void,
  path: string,
): boolean {
  try {
    return runner.workflowTriggers(text, event);
  } catch (e) {
    // A workflow that does not parse starts nothing; GitHub shows it as a failed file.
    log(`forge: ${path}: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
}
