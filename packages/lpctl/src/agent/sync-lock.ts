/**
 * One sync (or revert) at a time per host: <stateDir>/sync.lock, the shared
 * lock of packages/lpctl/src/io/lock.ts without waiting: a live holder means SYNC_LOCKED at
 * once (the timer runs again later), a dead one's lock is taken over (a
 * crashed or killed sync must not block the timer forever).
 */
import { LpctlError } from "../core/errors.js";
import { acquireLock, processLockDeps, type Lock, type LockDeps } from "../io/lock.js";

export type SyncLock = Pick<Lock, "release">;

/** Takes the sync lock in `stateDir`; SYNC_LOCKED when another live sync holds it. */
export function acquireSyncLock(
  stateDir: string,
  deps: LockDeps = processLockDeps,
): Promise<SyncLock> {
  const file = `${stateDir}/sync.lock`;
  return acquireLock(
    file,
    {
      timeoutMs: 0,
      busy: (pid) =>
        new LpctlError(
          "SYNC_LOCKED",
          `another lpctl sync or revert (pid ${pid ?? "?"}) is running; ${file} is its lock. ` +
            "Let it finish; the timer retries later",
          { details: { file, ...(pid === undefined ? {} : { pid }) } },
        ),
    },
    deps,
  );
}
