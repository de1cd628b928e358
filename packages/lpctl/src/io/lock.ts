/**
 * One lock-file primitive for the builder's cache and the agent's sync: a
 * file created with O_EXCL holding the owner's token (`<pid>:<random>`, then
 * `:<pid namespace>` when known) and the pids of children that must also be
 * dead before it counts as stale. Pids are looked up only for an owner in
 * this process's PID namespace: one in another (a container or the forge's
 * job sandbox sharing the cache) is waited for, since its pids mean other
 * processes here, or none.
 *
 * Stale takeover is serialized by a second O_EXCL file (`<lock>.takeover`):
 * under it the contender re-reads the lock and removes it only if it is
 * still the dead owner's file it judged stale. Without that, two processes
 * that both saw the same stale lock could both remove and recreate it and
 * both believe they hold it.
 *
 * An empty or unreadable lock file is an owner between create and write;
 * it is stale only once it is older than `emptyGraceMs` (the owner crashed
 * in that window), the same rule for builder and agent.
 */
import { appendFileSync } from "node:fs";
import { open, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import type { LpctlError } from "../core/errors.js";
import { translateFsError } from "./fs-errors.js";
import { readLockOwner, type LockOwner } from "./lock-owner.js";
import { processLockDeps, type LockDeps } from "./lock-deps.js";

export { processLockDeps, type LockDeps } from "./lock-deps.js";

export interface Lock {
  /** Records a child process that must also be dead before the lock counts as stale. */
  addPid(pid: number): void;
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** The error when the lock stays busy past `timeoutMs`; gets the owner's pid if known. */
  busy: (ownerPid: number | undefined) => LpctlError;
  /** How long to wait for a live owner; 0 = fail at once. */
  timeoutMs: number;
  pollMs?: number;
  /** Called once when the lock is busy, to tell the user why we wait. */
  onWait?: (ownerPid: number | undefined) => void;
  /** How old an empty lock file must be to count as a crashed owner's; default 10 s. */
  emptyGraceMs?: number;
}

/** Takes the lock at `path`, waiting for a live owner and taking over a dead one's. */
export async function acquireLock(
  path: string,
  opts: AcquireOptions,
  deps: LockDeps = processLockDeps,
): Promise<Lock> {
  const ns = deps.pidNamespace === undefined ? "" : `:${deps.pidNamespace}`;
  const token = `${deps.pid}:${randomBytes(6).toString("hex")}${ns}`;
  const deadline = deps.now() + opts.timeoutMs;
  const grace = opts.emptyGraceMs ?? 10_000;
  let told = false;
  for (;;) {
    if (await tryCreate(path, token)) {
      return {
        // Synchronous: called from a spawn callback, before the child can do harm.
        addPid: (pid) => appendFileSync(path, `${pid}\n`),
        release: () => releaseIfOurs(path, token),
      };
    }
    const owner = await readLockOwner(path);
    if (owner === undefined) continue; // released meanwhile: try again at once
    if (isStale(owner, deps, grace) && (await takeOver(path, owner, deps, grace))) continue;
    if (deps.now() >= deadline) throw opts.busy(owner.pid);
    if (!told) opts.onWait?.(owner.pid);
    told = true;
    await deps.sleep(opts.pollMs ?? 500);
  }
}

function isStale(owner: LockOwner, deps: LockDeps, graceMs: number): boolean {
  if (owner.pid === undefined) return deps.now() - owner.mtimeMs > graceMs;
  // An owner in another PID namespace: its pids cannot be checked from here.
  if (owner.pidNamespace !== undefined && owner.pidNamespace !== deps.pidNamespace) return false;
  return !owner.pids.some((p) => deps.isAlive(p));
}

async function tryCreate(path: string, token: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, "wx", 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw translateFsError(e, `create the lock ${path}`);
  }
  try {
    await handle.writeFile(`${token}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/**
 * Removes `path` if it still is the stale `seen` file; true when the caller
 * should retry at once (removed, or another contender is doing the same).
 */
async function takeOver(
  path: string,
  seen: LockOwner,
  deps: LockDeps,
  graceMs: number,
): Promise<boolean> {
  const guard = `${path}.takeover`;
  if (!(await tryCreate(guard, `${deps.pid}`))) {
    // Another contender is taking over (microseconds); one that crashed
    // inside this window leaves its guard behind, cleared by age.
    const other = await readLockOwner(guard);
    if (other !== undefined && deps.now() - other.mtimeMs > graceMs) {
      await rm(guard, { force: true });
    }
    await deps.sleep(10);
    return true;
  }
  try {
    // re-check under the guard: only the very file judged stale is removed.
    const now = await readLockOwner(path);
    if (now !== undefined && sameFile(now, seen)) await rm(path, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
  return true;
}

function sameFile(a: LockOwner, b: LockOwner): boolean {
  return a.token === b.token && a.ino === b.ino && a.mtimeMs === b.mtimeMs;
}

async function releaseIfOurs(path: string, token: string): Promise<void> {
  if ((await readLockOwner(path))?.token === token) await rm(path, { force: true });
}
