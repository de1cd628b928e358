/**
 * One sync at a time per host: <stateDir>/sync.lock created with O_EXCL and
 * holding the owner's pid. A lock whose process is gone is stale and taken
 * over (a crashed or killed sync must not block the timer forever).
 */
import { open, readFile, unlink } from "node:fs/promises";
import { LpctlError } from "../core/errors.js";

export interface SyncLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, owned by someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function tryCreate(file: string): Promise<boolean> {
  try {
    const handle = await open(file, "wx", 0o644);
    try {
      await handle.writeFile(`${process.pid}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new LpctlError("STATE_INVALID", `cannot create ${file}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** Takes the sync lock in `stateDir`; SYNC_LOCKED when another live sync holds it. */
export async function acquireSyncLock(stateDir: string): Promise<SyncLock> {
  const file = `${stateDir}/sync.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await tryCreate(file)) {
      return { release: () => unlink(file).catch(() => undefined) };
    }
    const owner = Number.parseInt(await readFile(file, "utf8").catch(() => ""), 10);
    if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
      throw new LpctlError(
        "SYNC_LOCKED",
        `another lpctl sync (pid ${owner}) is running; ${file} is its lock`,
        { details: { pid: owner } },
      );
    }
    // Stale (owner gone, or a crash before the pid was written): take it over.
    await unlink(file).catch(() => undefined);
  }
  throw new LpctlError("SYNC_LOCKED", `could not take ${file}; another sync raced for it`);
}
