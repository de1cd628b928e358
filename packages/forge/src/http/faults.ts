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
  /**
   * A release asset upload (`route` matching the upload) that stops halfway:
   * GitHub keeps the asset, in state `open` with the first half of the
   * bytes, and the client gets `status`. Left to the upload route itself;
   * a regex `route` sees the upload's query too (`?name=…` names the asset).
   */
  interruptUpload?: boolean;
  /** Answer only after this long (a GitHub that is slow, or that a client gives up on). */
  delayMs?: number;
}

/**
 * A storage that lies about the Actions artifacts named `name` (for tests of
 * a client's own limits, which an honest GitHub never reaches): each is
 * listed with `listedSize` bytes instead of its real size, and/or its
 * download goes on for `extraBytes` zero bytes past its real end, with no
 * Content-Length.
 */
export interface ArtifactLie {
  name: string;
  listedSize?: number;
  extraBytes?: number;
  /** Filled in by the forge: how many of the extra bytes it has served so far. */
  extraServed?: number;
}

export class Faults {
  private faults: Fault[] = [];
  private lies = new Map<string, ArtifactLie>();

  set(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  clear(): void {
    this.faults = [];
    this.lies.clear();
  }

  lieAboutArtifact(lie: ArtifactLie): void {
    this.lies.set(lie.name, { ...lie });
  }

  /** The lie told about artifacts named `name`, if any (the forge's own record: it counts `extraServed`). */
  artifactLie(name: string): ArtifactLie | undefined {
    return this.lies.get(name);
  }

  /** Consumes one matching fault and returns the error to answer with, if any. */
  take(
    method: string,
    operationPath: string | undefined,
    path: string,
    interruptUpload = false,
  ): ForgeHttpError | undefined {
    const fault = this.faults.find(
      (f) =>
        f.times > 0 &&
        (f.interruptUpload ?? false) === interruptUpload &&
        matches(f, method, operationPath, path),
    );
    if (!fault) return undefined;
    fault.times -= 1;
    this.faults = this.faults.filter((f) => f.times > 0);
    return faultError(fault);
  }

  /** Consumes one matching fault like take(), then waits out its delay; returns the error. */
  async answer(
    method: string,
    operationPath: string | undefined,
    path: string,
    interruptUpload = false,
  ): Promise<ForgeHttpError | undefined> {
    const delay = this.faults.find(
      (f) =>
        f.times > 0 &&
        (f.interruptUpload ?? false) === interruptUpload &&
        matches(f, method, operationPath, path),
    )?.delayMs;
    const error = this.take(method, operationPath, path, interruptUpload);
    if (error && delay) await new Promise((r) => setTimeout(r, delay));
    return error;
  }
}

function matches(f: Fault, method: string, operationPath: string | undefined, path: string) {
  return (
    (f.method === undefined || f.method.toUpperCase() === method) &&
    (typeof f.route === "string" ? f.route === operationPath : f.route.test(path))
  );
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
