import { mkdir, readdir, unlink } from "node:fs/promises";
import path from "node:path";
import { isLpctlError } from "../core/errors.js";
import { stateDirOf, type AgentDeps } from "./agent-deps.js";
import { modulesDirOf } from "./obtain-module.js";
import { readState, writeState, type AgentState } from "./state.js";
import { acquireSyncLock } from "./sync-lock.js";
import { syncSteps, type SyncOutcome, type SyncProgress } from "./sync-steps.js";

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
export async function runSync(deps: AgentDeps, options: { force: boolean }): Promise<SyncOutcome> {
  const now = deps.clock.now();
  const stateDir = stateDirOf(deps);
  await mkdir(modulesDirOf(deps), { recursive: true, mode: 0o700 });
  const lock = await acquireSyncLock(stateDir);
  try {
    await removeStaleParts(modulesDirOf(deps));
    const state = await readState(stateDir);
    let result;
    const progress: SyncProgress = {};
    try {
      result = await syncSteps(deps, state, now, options.force, progress);
    } catch (e) {
      await writeState(stateDir, failedState(state, progress, e, now)).catch(() => undefined);
      throw e;
    }
    const next: AgentState = {
      ...result.state,
      lastCheck: now.toISOString(),
      lastSuccess: now.toISOString(),
    };
    delete next.lastError;
    await writeState(stateDir, next);
    return result.outcome;
  } finally {
    await lock.release();
  }
}
