/**
 * Sends one signed delivery and reports what came back. GitHub gives a
 * receiver 10 seconds; a refused connection or timeout is recorded, not thrown.
 */
import { sign } from "@octokit/webhooks-methods";

export interface PostOutcome {
  status: string;
  statusCode: number;
  durationS: number;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
}

const BODY_EXCERPT = 4096;

export async function signedHeaders(
  secret: string,
  body: string,
  base: Record<string, string>,
): Promise<Record<string, string>> {
  return { ...base, "X-Hub-Signature-256": await sign(secret, body) };
}

export async function postDelivery(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs = 10_000,
): Promise<PostOutcome> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started) / 1000;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json" },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    const text = await res.text();
    return {
      status: res.ok ? "OK" : `Invalid HTTP Response: ${res.status}`,
      statusCode: res.status,
      durationS: elapsed(),
      responseHeaders: Object.fromEntries(res.headers.entries()),
      responseBody: text.slice(0, BODY_EXCERPT),
    };
  } catch (e) {
    const timedOut = e instanceof DOMException && e.name === "TimeoutError";
    return {
      status: timedOut ? "timed out" : "failed to connect to host",
      statusCode: 0,
      durationS: elapsed(),
      responseHeaders: null,
      responseBody: null,
    };
  }
}
