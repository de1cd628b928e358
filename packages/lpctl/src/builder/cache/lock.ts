/**
 * The builder's cache locks: packages/lpctl/src/io/lock.ts with the builder's policy (wait
 * up to 2 h, a kernel build is long; CACHE_LOCKED after that). The owner
 * records long-running children (kpatch-build) with addPid: a child can
 * outlive a killed owner, and its exit cleanup would wipe the CACHEDIR of
 * whoever took the lock over, so the lock is stale only when all are dead.
 */
import { LpctlError } from "../../core/errors.js";
import { acquireLock as acquire, processLockDeps, type Lock } from "../../io/lock.js";
import type { LockDeps as IoLockDeps } from "../../io/lock-deps.js";

export type { Lock } from "../../io/lock.js";
export { processLockDeps };

/** As in packages/lpctl/src/io, with the clock optional (the real one by default). */
export type LockDeps = Omit<IoLockDeps, "now"> & Partial<Pick<IoLockDeps, "now">>;

export interface AcquireOptions {
  /** Give up (CACHE_LOCKED) after this long; default 2 h. */
  timeoutMs?: number;
  pollMs?: number;
  /** Called once when the lock is busy, to tell the user why we wait. */
  onWait?: (ownerPid: number) => void;
}

/** Takes the cache lock at `path`, waiting for a live owner. */
export function acquireLock(
  path: string,
  deps: LockDeps = processLockDeps,
  opts: AcquireOptions = {},
): Promise<Lock> {
  return acquire(
    path,
    {
      timeoutMs: opts.timeoutMs ?? 2 * 3600_000,
      ...(opts.pollMs === undefined ? {} : { pollMs: opts.pollMs }),
      onWait: (pid) => {
        if (pid !== undefined) opts.onWait?.(pid);
      },
      busy: (pid) =>
        new LpctlError(
          "CACHE_LOCKED",
          `${path} is held by pid ${pid ?? "?"}; wait for it or remove the file if that process is gone`,
          { details: { file: path, ...(pid === undefined ? {} : { pid }) } },
        ),
    },
    { now: () => Date.now(), ...deps },
  );
}
