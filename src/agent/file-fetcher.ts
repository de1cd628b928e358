import { open } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LpctlError } from "../core/errors.js";
import type { FetchRequest, FetchResult, Fetcher } from "./fetcher.js";

/**
 * A mirror directory on disk (`file:///srv/mirror/`). The modification time
 * stands in for Last-Modified so an unchanged file costs one stat.
 */
export function fileFetcher(baseUrl: string): Fetcher {
  const dir = fileURLToPath(baseUrl);
  return {
    async fetch(req: FetchRequest): Promise<FetchResult> {
      const file = path.join(dir, path.basename(req.name));
      let handle;
      try {
        handle = await open(file, "r");
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return { status: "not-found" };
        throw new LpctlError("FETCH_FAILED", `cannot open ${file}: ${(e as Error).message}`, {
          cause: e,
        });
      }
      try {
        const stat = await handle.stat();
        const lastModified = `${stat.mtimeMs}:${stat.size}`;
        if (req.lastModified === lastModified) return { status: "not-modified" };
        if (stat.size > req.maxBytes) {
          throw new LpctlError(
            "DOWNLOAD_TOO_LARGE",
            `${req.name} is ${stat.size} bytes, more than the ${req.maxBytes} allowed`,
          );
        }
        // Read one byte past the cap: the file may grow between stat and read.
        const buf = Buffer.alloc(req.maxBytes + 1);
        let got = 0;
        for (;;) {
          const { bytesRead } = await handle.read(buf, got, buf.length - got, got);
          if (bytesRead === 0) break;
          got += bytesRead;
          if (got > req.maxBytes) {
            throw new LpctlError("DOWNLOAD_TOO_LARGE", `${req.name} exceeds ${req.maxBytes} bytes`);
          }
        }
        return { status: "ok", body: buf.subarray(0, got), lastModified };
      } finally {
        await handle.close();
      }
    },
  };
}
