import { LpctlError } from "../core/errors.js";
import type { Fetcher } from "./fetcher.js";
import { fileFetcher } from "./file-fetcher.js";
import { httpFetcher } from "./http-fetcher.js";

/** The Fetcher for a configured `source` URL. */
export function sourceFetcher(source: string): Fetcher {
  if (source.startsWith("file:")) return fileFetcher(source);
  if (/^https?:/.test(source)) return httpFetcher(source);
  throw new LpctlError("CONFIG_INVALID", `source: unsupported URL scheme in ${source}`);
}
