/**
 * How the agent gets files from its source. One method, so a mirror, a
 * file:// tree and a test double are interchangeable.
 */
/**
 * Cap on a detached signature file, the verifier's own limit: checked while
 * downloading so a hostile source cannot stream without end.
 */
export const SIGNATURE_MAX_BYTES = 256 * 1024;

export interface FetchRequest {
  /** A plain base name (manifest.json, kernel-<id>.json, lp_x.ko.asc). */
  name: string;
  /** Hard cap: a body longer than this aborts with DOWNLOAD_TOO_LARGE. */
  maxBytes: number;
  /** Validators from the last successful fetch of `name`: a conditional request. */
  etag?: string;
  lastModified?: string;
}

export type FetchResult =
  | { status: "ok"; body: Uint8Array; etag?: string; lastModified?: string }
  | { status: "not-modified" }
  | { status: "not-found" };

export interface Fetcher {
  fetch(req: FetchRequest): Promise<FetchResult>;
}
