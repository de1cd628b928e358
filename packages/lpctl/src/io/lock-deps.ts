/** The process facts a lock needs; injectable so lock logic is tested with fake pids and time. */
export interface LockDeps {
  pid: number;
  /** True if a process with this pid exists. */
  isAlive(pid: number): boolean;
  sleep(ms: number): Promise<void>;
  /** Milliseconds, comparable with file mtimes. */
  now(): number;
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
  now: () => Date.now(),
};
