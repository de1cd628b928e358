/**
 * The pace of the app's write requests (POST, PATCH, PUT, DELETE) per
 * installation, handed to @octokit/plugin-throttling as its `write` group.
 *
 * Probot's default spaces every write of an installation a full second
 * apart. A pull request costs five writes (lint, policy, build, safety
 * review, comment), so the lint check of the next pull request waited
 * behind four seconds of the previous one's writes. GitHub's documented
 * secondary limits for content creation are 80 requests a minute and 500
 * an hour; this limiter keeps writes within both (rolling windows) with a
 * short gap between two writes, so a pull request's writes go out in about
 * a second instead of five. Comments, issues and releases still also pass the plugin's own
 * `notifications` group (3 s apart), which this does not replace.
 *
 * The plugin calls `key(id).schedule(jobOptions, task)` and nothing else;
 * retries come with `weight: 0` and `priority: 0` (go first, count nothing).
 */

import { systemClock, type Clock } from "@livepatch-gitops/lpctl/io/clock";
export interface WritePace {
  /** Least time between the starts of two writes of one installation. */
  gapMs: number;
  /** At most `max` writes in any `ms`, for each window. */
  windows: readonly { max: number; ms: number }[];
}

/** GitHub's documented content-creation limits: 80 a minute, 500 an hour. */
export const DEFAULT_PACE: WritePace = {
  gapMs: 200,
  windows: [
    { max: 80, ms: 60_000 },
    { max: 500, ms: 3_600_000 },
  ],
};

export interface JobOptions {
  priority?: number;
  weight?: number;
}

/** How long a write asked for at `now` must wait, given the starts so far (oldest first). */
export function writeDelay(starts: readonly number[], now: number, pace: WritePace): number {
  const last = starts[starts.length - 1];
  let wait = last === undefined ? 0 : last + pace.gapMs - now;
  for (const w of pace.windows) {
    const inWindow = starts.filter((t) => t > now - w.ms);
    // The window is full: wait until the write that frees a place leaves it.
    const freeing = inWindow[inWindow.length - w.max];
    if (freeing !== undefined) wait = Math.max(wait, freeing + w.ms - now);
  }
  return Math.max(0, wait);
}

/** How many start times a pace needs to remember. */
const memory = (pace: WritePace): number => Math.max(1, ...pace.windows.map((w) => w.max));

/** One installation's writes: one at a time, in order, retries first. */
export class KeyPace {
  readonly #starts: number[] = [];
  #tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pace: WritePace,
    private readonly clock: Clock,
  ) {}

  schedule<T, A extends unknown[]>(
    options: JobOptions,
    task: (...args: A) => T | Promise<T>,
    ...args: A
  ): Promise<T> {
    // A retry already waited for its first turn and is not a new write.
    if (options.weight === 0) return Promise.resolve().then(() => task(...args));
    const turn = this.#tail.then(async () => {
      for (;;) {
        const wait = writeDelay(this.#starts, this.clock.monotonicMs(), this.pace);
        if (wait <= 0) break;
        await this.clock.sleep(wait);
      }
      this.#starts.push(this.clock.monotonicMs());
      if (this.#starts.length > memory(this.pace)) this.#starts.shift();
    });
    this.#tail = turn;
    return turn.then(() => task(...args));
  }
}

/** A `write` group for @octokit/plugin-throttling: one pace per installation id. */
export class WriteLimiter {
  readonly #keys = new Map<string, KeyPace>();

  constructor(
    private readonly pace: WritePace = DEFAULT_PACE,
    private readonly clock: Clock = systemClock,
  ) {}

  key(id = ""): KeyPace {
    let k = this.#keys.get(id);
    if (k === undefined) {
      k = new KeyPace(this.pace, this.clock);
      this.#keys.set(id, k);
    }
    return k;
  }
}
