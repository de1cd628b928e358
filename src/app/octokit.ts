/**
 * The Octokit class the app runs with: Probot's, throttling and retry on,
 * with the app's own pace for writes (./write-limiter.ts) instead of the
 * plugin's one-second spacing. With Redis clustering (REDIS_URL) Probot
 * shares its limiters across processes; a pace kept in this process would
 * not be shared, so Probot's defaults stay as they are then.
 */
import { ProbotOctokit } from "probot";
import { WriteLimiter } from "./write-limiter.js";

export interface ThrottleOptions {
  enabled?: boolean;
  connection?: unknown;
  write?: unknown;
}

/** `throttle` with the app's write pace, unless throttling is off or clustered. */
export function withWritePace(
  throttle: ThrottleOptions | undefined,
  write: WriteLimiter,
): ThrottleOptions | undefined {
  if (throttle === undefined || throttle.enabled === false || throttle.connection !== undefined)
    return throttle;
  return { ...throttle, write: throttle.write ?? write };
}

/** ProbotOctokit whose installation clients pace writes with `write`. */
export function appOctokit(write = new WriteLimiter()): typeof ProbotOctokit {
  // The function form runs after Probot's own defaults (the throttle options
  // with its rate-limit handlers), and again for every installation client.
  return ProbotOctokit.defaults((options: { throttle?: ThrottleOptions }) => ({
    ...options,
    throttle: withWritePace(options.throttle, write),
  }));
}
