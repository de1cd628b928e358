/**
 * Tries the lock at argv[2] once, with the real process facts (pid, PID
 * namespace), and prints what happened: "acquired" (then releases it) or
 * the error code. Run by lock-namespaces.test.ts, inside and outside a new
 * PID namespace.
 */
import { LpctlError } from "../../../../src/core/errors.js";
import { acquireLock } from "../../../../src/io/lock.js";

const path = process.argv[2] ?? "";
try {
  const lock = await acquireLock(path, {
    timeoutMs: 0,
    busy: (pid) => new LpctlError("SYNC_LOCKED", `held by ${String(pid)}`),
  });
  console.log("acquired");
  await lock.release();
} catch (e) {
  console.log(e instanceof LpctlError ? e.code : String(e));
}
