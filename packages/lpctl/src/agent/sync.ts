import { mkdir, readdir, unlink } from "node:fs/promises";
import path from "node:path";
import { isLpctlError } from "../core/errors.js";
import { stateDirOf, type AgentDeps } from "./agent-deps.js";
import { modulesDirOf } from "./obtain-module.js";
import { prepareInstalled } from "./prepare-installed.js";
import { readState, writeState, type AgentState } from "./state.js";
import { acquireSyncLock } from "./sync-lock.js";
import { syncSteps, type SyncOutcome, type SyncProgress } from "./sync-steps.js";
import { trace } from "./trace.js";

/**
 * Temp files a crashed run left behind: writeFileAtomic's `.<name>.tmp-*`
 * (and `.part` from agents before it). Called under the lock: none is live.
 */
async function removeStaleParts(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => n.endsWith(".part") || /^\..+\.tmp-/.test(n))
      .map((n) => unlink(path.join(dir, n)).catch(() => undefined)),
  );
}

/**
 * The state a failed run leaves: what it verified (the manifest the host
 * should now run), the error, and whether applying the module failed.
 */
function failedState(state: AgentState, progress: SyncProgress, e: unknown, now: Date): AgentState {
  const at = now.toISOString();
  const error = {
    code: isLpctlError(e) ? e.code : "INTERNAL",
    message: e instanceof Error ? e.message : String(e),
    at,
  };
  const base = progress.verified ?? state;
  const version = base.manifest?.version;
  return {
    ...base,
    lastCheck: at,
    lastError: error,
    ...(progress.applying === undefined || version === undefined
      ? {}
      : { failedApply: { name: progress.applying, manifestVersion: version, ...error } }),
  };
}

/**
 * `lpctl sync`: under the sync lock, with one reference time for the run.
 * The state is replaced atomically only after success; a failure records
 * lastError beside the last good fields.
 */
/** Installed kernels: their failures are recorded for status, never the sync's. */
async function prepareQuietly(deps: AgentDeps, state: AgentState, now: Date): Promise<void> {
  await prepareInstalled(deps, state, now).catch((e: unknown) => {
    deps.log(`preparing installed kernels failed: ${e instanceof Error ? e.message : String(e)}`);
  });
}

export interface SyncOptions {
  force: boolean;
  /** Also make installed, not running kernels ready for their boot (prepare-installed.ts). */
  prepare?: boolean;
}

export async function runSync(deps: AgentDeps, options: SyncOptions): Promise<SyncOutcome> {
  const now = deps.clock.now();
  const stateDir = stateDirOf(deps);
  await mkdir(modulesDirOf(deps), { recursive: true, mode: 0o700 });
  const lock = await acquireSyncLock(stateDir);
  try {
    await removeStaleParts(modulesDirOf(deps));
    const state = await readState(stateDir);
    trace("locked-state-read");
    let result;
    const progress: SyncProgress = {};
    try {
      result = await syncSteps(deps, state, now, options.force, progress);
    } catch (e) {
      const failed = failedState(state, progress, e, now);
      await writeState(stateDir, failed).catch(() => undefined);
      if (options.prepare === true) await prepareQuietly(deps, failed, now);
      throw e;
    }
    if (options.prepare === true && result.outcome !== "opted-out") {
      await prepareQuietly(deps, result.state, now);
    }
    const next: AgentState = {
      ...result.state,
      lastCheck: now.toISOString(),
      lastSuccess: now.toISOString(),
    };
    delete next.lastError;
    await writeState(stateDir, next);
    trace("state-written");
    return result.outcome;
  } finally {
    await lock.release();
  }
}
