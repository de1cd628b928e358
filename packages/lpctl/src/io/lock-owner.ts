import { open } from "node:fs/promises";
import { translateFsError } from "./fs-errors.js";

/** What a lock file says about its owner. */
export interface LockOwner {
  /** First line as written; "" while the owner has not written it yet. */
  token: string;
  /** The owner's pid, undefined for an empty or unparsable file. */
  pid: number | undefined;
  /** The owner's PID namespace (the token's third field); undefined when not written. */
  pidNamespace: string | undefined;
  /** The owner and its recorded children. */
  pids: number[];
  ino: number;
  mtimeMs: number;
}

/**
 * The owner of the lock at `path`, or undefined when there is none. Reads the
 * open file, so content, inode and mtime belong to one and the same file.
 * Accepts the agent's older format (a bare pid) as well.
 */
export async function readLockOwner(path: string): Promise<LockOwner | undefined> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw translateFsError(e, `read the lock ${path}`);
  }
  try {
    const st = await handle.stat();
    const [token = "", ...children] = (await handle.readFile("utf8")).trim().split("\n");
    const [first, , ns] = token.split(":");
    const pid = positive(first);
    const pids = [pid, ...children.map(positive)].filter((p) => p !== undefined);
    const pidNamespace = ns !== undefined && /^\d+$/.test(ns) ? ns : undefined;
    return { token, pid, pidNamespace, pids, ino: st.ino, mtimeMs: st.mtimeMs };
  } catch (e) {
    throw translateFsError(e, `read the lock ${path}`);
  } finally {
    await handle.close();
  }
}

function positive(s: string | undefined): number | undefined {
  const n = Number.parseInt(s ?? "", 10);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
