/**
 * What the runner may ask of the forge during one run: a checkout of the
 * run's repository (cloned from the bare repository, so no credentials
 * ever land in the clone's config), artifact uploads stored with GitHub's
 * metadata (a duplicate name is refused), and job updates for the jobs API,
 * each finished job's log kept as a blob.
 */
import { createReadStream } from "node:fs";
import { execa } from "execa";
import { ForgeError } from "../errors.js";
import type { ForgeContext } from "../context.js";
import { GIT_ENV } from "../git/run-git.js";
import type { JobRecord, RunnerHost } from "../runner/contract.js";
import type { RunRow } from "../model/actions-rows.js";
import { ownerOf } from "../model/db.js";
import type { RepoRow } from "../model/rows.js";
import { assetNameProblem } from "../releases/release-rules.js";
import type { ActionsDb } from "./actions-db.js";

/** GitHub's default artifact retention. */
const RETENTION_MS = 90 * 24 * 60 * 60 * 1000;

export interface HostForRun {
  host: RunnerHost;
  /** Resolves once every job update and log copy made so far is recorded. */
  settled(): Promise<void>;
}

async function git(args: string[], cwd?: string): Promise<void> {
  const r = await execa("git", args, {
    env: GIT_ENV,
    extendEnv: true,
    reject: false,
    ...(cwd ? { cwd } : {}),
  });
  if (r.exitCode !== 0) {
    throw new ForgeError(
      "FORGE_CHECKOUT_FAILED",
      `git ${args[0] ?? ""} failed: ${String(r.stderr).trim()}`,
    );
  }
}

export function runnerHost(
  ctx: ForgeContext,
  db: ActionsDb,
  repo: RepoRow,
  run: RunRow,
): HostForRun {
  const pending: Promise<void>[] = [];

  const storeLog = async (jobId: number, logFile: string): Promise<void> => {
    const blob = await ctx.blobs.put(createReadStream(logFile), ctx.limits.uploadBytes);
    db.jobs.update(jobId, { log: { blobKey: blob.key, sha256: blob.sha256, size: blob.size } });
    await ctx.store.commit();
  };

  const onJob = (job: JobRecord): void => {
    const now = ctx.now().toISOString();
    const fields = {
      status: job.status,
      conclusion: job.conclusion ?? null,
      started_at: job.startedAt ?? now,
      completed_at: job.completedAt ?? (job.status === "completed" ? now : null),
      steps: job.steps.map((s) => ({
        name: s.name,
        number: s.number,
        conclusion: s.conclusion ?? null,
      })),
    };
    const existing = db.jobs.find((j) => j.runId === run.id && j.name === job.name);
    const row = existing
      ? (db.jobs.update(existing.id, fields) ?? existing)
      : db.jobs.insert({
          runId: run.id,
          repoId: repo.id,
          name: job.name,
          created_at: now,
          ...fields,
        });
    if (job.status === "completed" && !row.log) {
      pending.push(
        storeLog(row.id, job.logFile).catch((e: unknown) =>
          ctx.log(`forge: job log not kept: ${String(e)}`),
        ),
      );
    }
    pending.push(ctx.store.commit());
  };

  const host: RunnerHost = {
    async checkout(sha, dir) {
      await git(["clone", "--quiet", "--no-checkout", ctx.git.dir(repo.id), dir]);
      await git(["checkout", "--quiet", "--detach", sha], dir);
      // origin names the forge's public URL, like actions/checkout with persist-credentials: false.
      const full = `${ownerOf(ctx.db, repo).login}/${repo.name}`;
      await git(["remote", "set-url", "origin", `${ctx.urls.web}/${full}.git`], dir);
    },
    async uploadArtifact(name, zipFile) {
      const problem = assetNameProblem(name);
      const taken = () =>
        db.artifacts.find((a) => a.runId === run.id && a.name === name) !== undefined;
      if (problem !== undefined || taken()) {
        throw new ForgeError(
          "FORGE_ARTIFACT_REFUSED",
          `artifact '${name}' refused: ${problem ?? "this run already has an artifact of that name"}`,
        );
      }
      const blob = await ctx.blobs.put(createReadStream(zipFile), ctx.limits.uploadBytes);
      if (taken()) {
        await ctx.blobs.remove(blob.key);
        throw new ForgeError(
          "FORGE_ARTIFACT_REFUSED",
          `artifact '${name}' was uploaded twice at once`,
        );
      }
      const now = ctx.now();
      db.artifacts.insert({
        runId: run.id,
        repoId: repo.id,
        name,
        size_in_bytes: blob.size,
        blobKey: blob.key,
        sha256: blob.sha256,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        expires_at: new Date(now.getTime() + RETENTION_MS).toISOString(),
      });
      await ctx.store.commit();
    },
    onJob,
  };
  return {
    host,
    async settled() {
      while (pending.length > 0) await Promise.all(pending.splice(0));
    },
  };
}
