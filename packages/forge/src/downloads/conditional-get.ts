/** HTTP conditional GET (RFC 9110 §13): whether a cached copy is still current. */
import type { IncomingHttpHeaders } from "node:http";

/** True when the request's validators say the client already holds this representation. */
export function notModified(
  headers: IncomingHttpHeaders,
  etag: string,
  lastModified: Date,
): boolean {
  const inm = headers["if-none-match"];
  if (typeof inm === "string") {
    // If-None-Match takes precedence over If-Modified-Since.
    return inm
      .split(",")
      .map((t) => t.trim().replace(/^W\//, ""))
      .some((t) => t === "*" || t === etag);
  }
  const ims = headers["if-modified-since"];
  if (typeof ims !== "string") return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}
