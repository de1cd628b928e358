/**
 * The one clock: wall time for timestamps and expiry, monotonic time for
 * durations and waits, and sleeping. The agent, the builder's progress and
 * reports, and the app's write pace take it, so a fake makes time testable.
 */
export interface Clock {
  /** Wall clock: timestamps, expiry. */
  now(): Date;
  /** Milliseconds, monotonic: durations and waits. */
  monotonicMs(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  monotonicMs: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
