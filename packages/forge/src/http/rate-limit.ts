/**
 * `X-RateLimit-*` bookkeeping per credential, in hourly windows. The forge
 * reports usage but does not refuse on it (the fault switch produces rate
 * limits on demand), so long test suites never trip over a real limit.
 */

export interface RateLimitWindow {
  limit: number;
  remaining: number;
  reset: number;
  used: number;
  resource: string;
}

export class RateLimits {
  private windows = new Map<string, { reset: number; used: number }>();

  /** Counts one request for `key` and returns the headers' values. */
  count(key: string, limit: number, nowMs: number): RateLimitWindow {
    const now = Math.floor(nowMs / 1000);
    let w = this.windows.get(key);
    if (!w || w.reset <= now) {
      w = { reset: now + 3600, used: 0 };
      this.windows.set(key, w);
    }
    w.used += 1;
    return {
      limit,
      remaining: Math.max(0, limit - w.used),
      reset: w.reset,
      used: w.used,
      resource: "core",
    };
  }
}
