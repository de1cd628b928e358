/**
 * Reads a webhook request's body with a byte cap, before anything looks at
 * its signature. The signature check needs the whole body, so without a cap
 * an unauthenticated sender decides how much the app buffers and hashes (a
 * 100 MiB body took the app from 96 MB to 2.6 GB RSS and blocked its event
 * loop for seconds). GitHub caps webhook payloads at 25 MB.
 */
import type { IncomingMessage } from "node:http";

export const MAX_WEBHOOK_BODY_BYTES = 25 * 1024 * 1024;

/** The body, or undefined once it is known to pass `max` bytes (what was read is dropped). */
export function readCappedBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers["content-length"]);
  // Refused on the header alone: nothing of the body is read.
  if (Number.isFinite(declared) && declared > max) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    const onData = (chunk: Buffer) => {
      n += chunk.length;
      if (n <= max) return void chunks.push(chunk);
      req.off("data", onData);
      req.pause();
      chunks.length = 0;
      resolve(undefined);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}
