/**
 * The pace of the app's write requests (POST, PATCH, PUT, DELETE) per
 * installation, handed to @octokit/plugin-throttling as its `write` group.
 *
 * Probot's default spaces every write of an installation a full second
 * apart. A pull request costs five writes (lint, policy, build, safety
 * review, comment), so the lint check of the next pull request waited
 * behind four seconds of the previous one's writes. GitHub's documented
 * secondary limit for content creation is 80 requests a minute; this
 * limiter keeps writes at most that many per rolling minute (the long-run
 * pace of the default, 60 a minute, give or take) and a short gap between
 * two writes, so a pull request's writes go out in about a second instead
 * of five. Comments, issues and releases still also pass the plugin's own
 * `notifications` group (3 s apart), which this does not replace.
 *
 * The plugin calls `key(id).schedule(jobOptions, task)` and nothing else;
 * retries come with `weight: 0` and `priority: 0` (go first, count nothing).
 */

export interface WritePace {
  /** Least time between the starts of two writes of one installation. */
  gapMs: number;
  /** At most `max` writes in any `windowMs`. */
  max: number;
  windowMs: number;
}

export const DEFAULT_PACE: WritePace = { gapMs: 200, max: 80, windowMs: 60_000 };

export interface JobOptions {
  priority?: number;
  weight?: number;
}

export interface Clock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** How long a write asked for at `now` must wait, given the starts so far (oldest first). */
export function writeDelay(starts: readonly number[], now: number, pace: WritePace): number {
  const last = starts[starts.length - 1];
  const gap = last === undefined ? 0 : last + pace.gapMs - now;
  const inWindow = starts.filter((t) => t > now - pace.windowMs);
  // The window is full: wait until its oldest write leaves it.
  const full = inWindow.length >= pace.max ? (inWindow[0] ?? now) + pace.windowMs - now : 0;
  return Math.max(0, gap, full);
}

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
        const wait = writeDelay(this.#starts, this.clock.now(), this.pace);
        if (wait <= 0) break;
        await this.clock.sleep(wait);
      }
      this.#starts.push(this.clock.now());
      while (this.#starts.length > this.pace.max) this.#starts.shift();
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
    private readonly clock: Clock = realClock,
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
