import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LpctlError } from "../core/errors.js";
import type { FetchRequest, FetchResult, Fetcher } from "./fetcher.js";

/**
 * A mirror directory on disk (`file:///srv/mirror/`). The ETag is the
 * content's sha256: modification times say nothing about content in a
 * copied or unpacked tree (an initramfs has them all equal).
 */
export function fileFetcher(baseUrl: string): Fetcher {
  const dir = fileURLToPath(baseUrl);
  return {
    async fetch(req: FetchRequest): Promise<FetchResult> {
      const file = path.join(dir, path.basename(req.name));
      let handle;
      try {
        // O_NONBLOCK: opening a FIFO must not wait for a writer (with the sync lock held).
        handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return { status: "not-found" };
        throw new LpctlError("FETCH_FAILED", `cannot open ${file}: ${(e as Error).message}`, {
          cause: e,
        });
      }
      try {
        const st = await handle.stat();
        if (!st.isFile()) {
          throw new LpctlError(
            "FETCH_FAILED",
            `${file} is not a regular file (a FIFO, device or directory); refusing to read it`,
          );
        }
        const { size } = st;
        if (size > req.maxBytes) {
          throw new LpctlError(
            "DOWNLOAD_TOO_LARGE",
            `${req.name} is ${size} bytes, more than the ${req.maxBytes} allowed`,
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
        const body = buf.subarray(0, got);
        const etag = `"sha256:${createHash("sha256").update(body).digest("hex")}"`;
        if (req.etag === etag) return { status: "not-modified" };
        return { status: "ok", body, etag };
      } finally {
        await handle.close();
      }
    },
  };
}
