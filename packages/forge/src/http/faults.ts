/**
 * The fault switch: makes chosen routes answer an error a given number of
 * times, so clients' retry and throttling paths run against real HTTP.
 * Rate-limit faults carry the headers Octokit's throttling plugin reads.
 */
import { ForgeHttpError } from "./errors.js";

export interface Fault {
  method?: string;
  /** An operation path (`/repos/{owner}/{repo}`) or a regex over the request path. */
  route: string | RegExp;
  status: 500 | 502 | 503 | 403 | 429;
  times: number;
  /** Answer as a rate limit (403/429 with `x-ratelimit-remaining: 0` and `retry-after`). */
  rateLimit?: boolean;
}

export class Faults {
  private faults: Fault[] = [];

  set(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  clear(): void {
    this.faults = [];
  }

  /** Consumes one matching fault and returns the error to answer with, if any. */
  take(
    method: string,
    operationPath: string | undefined,
    path: string,
  ): ForgeHttpError | undefined {
    const fault = this.faults.find(
      (f) =>
        f.times > 0 &&
        (f.method === undefined || f.method.toUpperCase() === method) &&
        (typeof f.route === "string" ? f.route === operationPath : f.route.test(path)),
    );
    if (!fault) return undefined;
    fault.times -= 1;
    this.faults = this.faults.filter((f) => f.times > 0);
    return faultError(fault);
  }
}

function faultError(fault: Fault): ForgeHttpError {
  if (fault.rateLimit || fault.status === 429) {
    const reset = String(Math.floor(Date.now() / 1000) + 1);
    return new ForgeHttpError(
      fault.status,
      fault.status === 429
        ? "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
        : "API rate limit exceeded for installation.",
      {},
      { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset, "retry-after": "1" },
    );
  }
  const messages: Record<number, string> = {
    500: "Server Error",
    502: "Server Error",
    503: "Service Unavailable",
    403: "Forbidden",
  };
  return new ForgeHttpError(fault.status, messages[fault.status] ?? "Server Error");
}
