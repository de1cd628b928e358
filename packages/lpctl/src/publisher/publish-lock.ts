/**
 * One publish at a time per mirror directory: two concurrent runs would both
 * read version N and both publish N+1 with different content, which hosts
 * must refuse (one version, one content). Uses the builder's lock file
 * (O_EXCL, pid, stale-owner takeover) until locks move to packages/lpctl/src/io.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { acquireLock, processLockDeps, type Lock } from "../builder/cache/lock.js";
import { isLpctlError, LpctlError } from "../core/errors.js";
import { fsStep } from "../io/fs-errors.js";

export const PUBLISH_LOCK = ".lpctl-publish.lock";

/** Holds `dir`'s publish lock, waiting up to `timeoutMs` for another publish to finish. */
export async function lockMirror(
  dir: string,
  log: (line: string) => void,
  timeoutMs = 10 * 60_000,
): Promise<Lock> {
  await fsStep(`create ${dir}`, () => mkdir(dir, { recursive: true }));
  const path = join(dir, PUBLISH_LOCK);
  try {
    return await acquireLock(path, processLockDeps, {
      timeoutMs,
      pollMs: 100,
      onWait: (pid) => log(`${dir}: another publish (pid ${pid}) is running; waiting for it`),
    });
  } catch (e) {
    if (!isLpctlError(e, "CACHE_LOCKED")) throw e;
    throw new LpctlError(
      "PUBLISH_LOCKED",
      `another publish to ${dir} holds ${path}; wait for it, or remove the file if that process is gone`,
      { cause: e },
    );
  }
}
