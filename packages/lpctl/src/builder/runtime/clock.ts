/** Time source for phase timings and report timestamps; a fake makes timings testable. */
export interface Clock {
  /** Milliseconds, monotonic enough for durations. */
  now(): number;
  /** Wall clock for report timestamps. */
  date(): Date;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  date: () => new Date(),
};
