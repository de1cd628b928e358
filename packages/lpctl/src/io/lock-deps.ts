import { readlinkSync } from "node:fs";

/** The process facts a lock needs; injectable so lock logic is tested with fake pids and time. */
export interface LockDeps {
  pid: number;
  /**
   * This process's PID namespace (the inode of /proc/self/ns/pid), written
   * into the lock: a pid is only meaningful inside its namespace, so an
   * owner in another one (a container, the forge's job sandbox) cannot be
   * judged dead by looking its pid up here. Undefined when unknown.
   */
  pidNamespace?: string;
  /** True if a process with this pid exists. */
  isAlive(pid: number): boolean;
  sleep(ms: number): Promise<void>;
  /** Milliseconds, comparable with file mtimes. */
  now(): number;
}

export const processLockDeps: LockDeps = {
  pid: process.pid,
  pidNamespace: ownPidNamespace(),
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
  now: () => Date.now(),
};

/** "4026531836" from /proc/self/ns/pid's "pid:[4026531836]"; undefined without /proc. */
function ownPidNamespace(): string | undefined {
  try {
    return /^pid:\[(\d+)\]$/.exec(readlinkSync("/proc/self/ns/pid"))?.[1];
  } catch {
    return undefined;
  }
}
