/**
 * HTTP(S) source. GitHub answers releases/latest/download/<name> with a
 * redirect to storage, so redirects are followed (a few, same or https
 * scheme). Every body is capped: the transfer is aborted as soon as the
 * server sends more than allowed (endless-data attack); bodies of other
 * answers (redirects, errors) are not read at all.
 */
import http, { type IncomingMessage } from "node:http";
import { isLpctlError, LpctlError } from "../core/errors.js";
import type { FetchRequest, FetchResult, Fetcher } from "./fetcher.js";

const MAX_REDIRECTS = 5;

export interface HttpFetcherOptions {
  /** Per-request inactivity timeout, ms. */
  timeoutMs?: number;
  /**
   * Overall limit for one fetch (redirects and body included), ms: a server
   * dripping a byte just inside the idle timeout must not hold the sync lock
   * for the service's whole run time.
   */
  deadlineMs?: number;
  userAgent?: string;
}

async function get(
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  // node:https brings TLS: loaded only for an https source (agent start time).
  const mod = url.protocol === "https:" ? (await import("node:https")).default : http;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = mod.get(url, { headers, timeout: timeoutMs, signal }, resolve);
    req.on("timeout", () =>
      req.destroy(
        new LpctlError("FETCH_FAILED", `no response within ${timeoutMs} ms; check the source URL`),
      ),
    );
    req.on("error", reject);
  });
}

async function readCapped(res: IncomingMessage, name: string, maxBytes: number) {
  const declared = Number(res.headers["content-length"] ?? NaN);
  if (declared > maxBytes) {
    res.destroy();
    throw new LpctlError(
      "DOWNLOAD_TOO_LARGE",
      `${name}: server announces ${declared} bytes, more than the ${maxBytes} allowed`,
    );
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        res.destroy();
        throw new LpctlError(
          "DOWNLOAD_TOO_LARGE",
          `${name}: server sent more than the ${maxBytes} bytes allowed; aborted`,
        );
      }
      chunks.push(chunk);
    }
  } catch (e) {
    if (isLpctlError(e)) throw e;
    throw new LpctlError("FETCH_FAILED", `${name}: ${(e as Error).message}`, { cause: e });
  }
  return Buffer.concat(chunks, total);
}

function header(res: IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return typeof v === "string" ? v : undefined;
}

/** A Fetcher for `baseUrl` (ending in "/"). */
export function httpFetcher(baseUrl: string, options: HttpFetcherOptions = {}): Fetcher {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadlineMs = options.deadlineMs ?? 300_000;
  return {
    async fetch(req: FetchRequest): Promise<FetchResult> {
      const signal = AbortSignal.timeout(deadlineMs);
      try {
        return await fetchOnce(req, signal);
      } catch (e) {
        // deadline: whatever was in flight, the one message says why.
        if (!signal.aborted) throw e;
        throw new LpctlError(
          "FETCH_FAILED",
          `${req.name}: not complete within the ${deadlineMs / 1000} s deadline; the source is too slow or stalling`,
          { cause: e },
        );
      }
    },
  };

  async function fetchOnce(req: FetchRequest, signal: AbortSignal): Promise<FetchResult> {
    const headers: Record<string, string> = {
      "user-agent": options.userAgent ?? "lpctl-agent",
      accept: "*/*",
    };
    if (req.etag !== undefined) headers["if-none-match"] = req.etag;
    // A server ignores If-Modified-Since beside If-None-Match (RFC 9110
    // 13.1.3): sending both only adds bytes to every idle check.
    else if (req.lastModified !== undefined) headers["if-modified-since"] = req.lastModified;
    let url = new URL(encodeURIComponent(req.name), baseUrl);
    for (let hop = 0; ; hop++) {
      let res: IncomingMessage;
      try {
        res = await get(url, headers, timeoutMs, signal);
      } catch (e) {
        throw new LpctlError("FETCH_FAILED", `GET ${url.href}: ${(e as Error).message}`, {
          cause: e,
        });
      }
      const status = res.statusCode ?? 0;
      if ([301, 302, 303, 307, 308].includes(status)) {
        res.destroy();
        const location = header(res, "location");
        if (location === undefined || hop >= MAX_REDIRECTS) {
          throw new LpctlError("FETCH_FAILED", `GET ${url.href}: bad or too many redirects`);
        }
        const next = new URL(location, url);
        if (
          next.protocol !== "https:" &&
          !(next.protocol === "http:" && url.protocol === "http:")
        ) {
          throw new LpctlError(
            "FETCH_FAILED",
            `GET ${url.href}: refusing redirect to ${next.href}`,
          );
        }
        url = next;
        continue;
      }
      if (status === 304) {
        res.destroy();
        return { status: "not-modified" };
      }
      if (status === 404) {
        res.destroy();
        return { status: "not-found" };
      }
      if (status !== 200) {
        res.destroy();
        throw new LpctlError("FETCH_FAILED", `GET ${url.href}: HTTP ${status}`);
      }
      const body = await readCapped(res, req.name, req.maxBytes);
      const etag = header(res, "etag");
      const lastModified = header(res, "last-modified");
      return {
        status: "ok",
        body,
        ...(etag === undefined ? {} : { etag }),
        ...(lastModified === undefined ? {} : { lastModified }),
      };
    }
  }
}
