import { LpctlError } from "../core/errors.js";
import type { Fetcher } from "./fetcher.js";
import { fileFetcher } from "./file-fetcher.js";

/**
 * The Fetcher for a configured `source` URL. The HTTP one (and Node's http,
 * https and tls) is loaded on the first request: `sync --offline` at boot
 * never makes one (agent start time).
 */
export function sourceFetcher(source: string): Fetcher {
  if (source.startsWith("file:")) return fileFetcher(source);
  if (/^https?:/.test(source)) {
    let http: Promise<Fetcher> | undefined;
    return {
      async fetch(req) {
        http ??= import("./http-fetcher.js").then((m) => m.httpFetcher(source));
        return (await http).fetch(req);
      },
    };
  }
  throw new LpctlError("CONFIG_INVALID", `source: unsupported URL scheme in ${source}`);
}
