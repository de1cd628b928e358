/**
 * A lock file per cache entry: created with O_EXCL and holding the owner's
 * pid. A second prepare of the same key waits; a lock whose pid is dead
 * (crashed run) is taken over so the cache never stays blocked. The owner
 * also records the pids of long-running children (kpatch-build): a child
 * can outlive a killed owner, and its exit cleanup would wipe the CACHEDIR
 * of whoever took the lock over, so the lock is stale only when all are dead.
 */
import { appendFileSync } from "node:fs";
import { open, readFile, rm } from "node:fs/promises";
import { LpctlError } from "../core/errors.js";

export interface LockDeps {
  pid: number;
  /** True if a process with this pid exists. */
  isAlive(pid: number): boolean;
  sleep(ms: number): Promise<void>;
}

export const processLockDeps: LockDeps = {
  pid: process.pid,
  isAlive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      // EPERM: it exists but belongs to someone else.
      return (e as NodeJS.ErrnoException).code === "EPERM";
    }
  },
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

export interface Lock {
  /** Records a child process that must also be dead before the lock counts as stale. */
  addPid(pid: number): void;
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** Give up (CACHE_LOCKED) after this long; default 2 h, a kernel build is long. */
  timeoutMs?: number;
  pollMs?: number;
  /** Called once when the lock is busy, to tell the user why we wait. */
  onWait?: (ownerPid: number) => void;
  /** Same-process contenders share a pid, so a token tells them apart. */
  token?: string;
}

let tokenSeq = 0;

export async function acquireLock(
  path: string,
  deps: LockDeps = processLockDeps,
  opts: AcquireOptions = {},
): Promise<Lock> {
  const token = opts.token ?? `${deps.pid}:${++tokenSeq}`;
  const pollMs = opts.pollMs ?? 500;
  const deadline = Date.now() + (opts.timeoutMs ?? 2 * 3600_000);
  let told = false;
  for (;;) {
    try {
      const fh = await open(path, "wx");
      await fh.writeFile(`${token}\n`);
      await fh.close();
      return {
        // Synchronous: called from a spawn callback, before the child can do harm.
        addPid: (pid) => appendFileSync(path, `${pid}\n`),
        release: () => releaseIfOurs(path, token),
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const owner = await readOwner(path);
    if (owner !== undefined && !owner.pids.some((p) => deps.isAlive(p))) {
      // Stale: remove only if it is still the same dead owner's file.
      if ((await readOwner(path))?.token === owner.token) await rm(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new LpctlError(
        "CACHE_LOCKED",
        `${path} is held by pid ${owner?.pid ?? "?"}; wait for it or remove the file if that process is gone`,
      );
    }
    if (!told && owner) opts.onWait?.(owner.pid);
    told = true;
    await deps.sleep(pollMs);
  }
}

async function readOwner(
  path: string,
): Promise<{ pid: number; pids: number[]; token: string } | undefined> {
  try {
    const [token = "", ...children] = (await readFile(path, "utf8")).trim().split("\n");
    const pid = Number.parseInt(token.split(":")[0] ?? "", 10);
    const pids = [pid, ...children.map((c) => Number.parseInt(c, 10))].filter(
      (p) => Number.isInteger(p) && p > 0,
    );
    // An empty file is a lock being written right now: treat as alive.
    return Number.isInteger(pid) && pid > 0 ? { pid, pids, token } : undefined;
  } catch {
    return undefined;
  }
}

async function releaseIfOurs(path: string, token: string): Promise<void> {
  if ((await readOwner(path))?.token === token) await rm(path, { force: true });
}
