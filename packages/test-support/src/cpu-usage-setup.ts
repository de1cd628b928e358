/**
 * Before and after every test file: the CPU time its worker and everything
 * the worker started and reaped (gcc under kpatch-build, qemu, gpg, the
 * app's process) used, for the timing reporter. Wall time alone cannot tell
 * a file that waits from one that computes, and on CI's 2 cores only the
 * second kind makes the whole run slower.
 */
import { readFileSync } from "node:fs";
import { afterAll } from "vitest";

declare module "vitest" {
  interface TaskMeta {
    /** CPU milliseconds (user + system, the worker and its reaped children) the file used. */
    cpuMs?: number;
  }
}

/** Linux reports /proc times in USER_HZ, 100 per second on every architecture it runs. */
const TICK_MS = 10;

/** utime + stime + cutime + cstime of this process, in ms (proc(5), fields 14-17). */
function cpuMs(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  // Fields after the command name, which is in parentheses and may hold spaces.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // rest[0] is field 3 (state): fields 14-17 are rest[11..14].
  return rest.slice(11, 15).reduce((sum, f) => sum + Number(f), 0) * TICK_MS;
}

const start = cpuMs();
// Vitest reads the hook's first parameter as a fixtures pattern: it must be one.
// eslint-disable-next-line no-empty-pattern
afterAll(({}, file) => {
  file.meta.cpuMs = cpuMs() - start;
});
