/**
 * The Octokit class the app runs with: Probot's, throttling and retry on,
 * with the app's own pace for writes (./write-limiter.ts) instead of the
 * plugin's one-second spacing. With Redis clustering (REDIS_URL) Probot
 * shares its limiters across processes; a pace kept in this process would
 * not be shared, so Probot's defaults stay as they are then. Every request
 * has a deadline (./request-timeout.ts).
 */
import { ProbotOctokit } from "probot";
import { fetchWithTimeout, GITHUB_TIMEOUT_MS } from "./request-timeout.js";
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

/** ProbotOctokit whose installation clients pace writes with `write` and give up on a request after `timeoutMs`. */
export function appOctokit(
  write = new WriteLimiter(),
  timeoutMs = GITHUB_TIMEOUT_MS,
): typeof ProbotOctokit {
  // The function form runs after Probot's own defaults (the throttle options
  // with its rate-limit handlers) and after any `.defaults()` layered on top
  // (a test's fetch), and again for every installation client.
  return ProbotOctokit.defaults(
    (options: { throttle?: ThrottleOptions; request?: { fetch?: typeof fetch } }) => ({
      ...options,
      throttle: withWritePace(options.throttle, write),
      request: {
        ...options.request,
        fetch: fetchWithTimeout(options.request?.fetch ?? globalThis.fetch, timeoutMs),
      },
    }),
  );
}
