/**
 * A deadline on every HTTP request the app's Octokit sends. Octokit sets
 * none, so one request GitHub (or a proxy) never answers held its handler
 * forever, and with it every later delivery queued behind it for that pull
 * request or repository. The deadline sits on `fetch`, under the throttling
 * and retry plugins: time spent waiting for the app's write pace does not
 * count, and each retry gets a fresh deadline. It covers reading the body
 * too. A caller that passes its own signal (a long artifact download) sets
 * its own deadline.
 */
import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";

export const GITHUB_TIMEOUT_MS = 30_000;

/** `fetch` with a `ms` deadline on each request that brings no signal of its own. */
export function fetchWithTimeout(
  fetch: typeof globalThis.fetch,
  ms: number,
): typeof globalThis.fetch {
  return async (input, init) => {
    if (init?.signal) return fetch(input, init);
    const deadline = AbortSignal.timeout(ms);
    try {
      return await fetch(input, { ...init, signal: deadline });
    } catch (e) {
      if (!deadline.aborted) throw e;
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      throw new LpctlError(
        "GITHUB_TIMEOUT",
        `GitHub did not answer ${init?.method ?? "GET"} ${new URL(url).pathname} within ${ms / 1000} s; the request was abandoned`,
        { cause: e },
      );
    }
  };
}
