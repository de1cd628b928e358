/**
 * Content-addressed-free blob files (release assets, artifacts, logs): bytes
 * go to a temp file, are fsynced and renamed into place before the caller
 * records them, so an interrupted upload leaves nothing a reader can see.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { tooLarge } from "../http/body.js";

export interface BlobInfo {
  key: string;
  size: number;
  sha256: string;
}

export class Blobs {
  constructor(private readonly dir: string) {}

  path(key: string): string {
    if (!/^[0-9a-f]{32}$/.test(key)) return join(this.dir, "invalid");
    return join(this.dir, key);
  }

  /** Streams `source` into a new blob; refuses it (and leaves nothing) past `maxBytes`. */
  async put(source: Readable | Buffer, maxBytes: number): Promise<BlobInfo> {
    await mkdir(join(this.dir, "tmp"), { recursive: true });
    const key = randomBytes(16).toString("hex");
    const tmp = join(this.dir, "tmp", key);
    const handle = await open(tmp, "wx", 0o600);
    const hash = createHash("sha256");
    let size = 0;
    try {
      const chunks = Buffer.isBuffer(source) ? [source] : (source as AsyncIterable<Buffer>);
      for await (const chunk of chunks) {
        size += chunk.length;
        if (size > maxBytes) throw tooLarge();
        hash.update(chunk);
        await handle.write(chunk);
      }
      await handle.sync();
    } catch (e) {
      await handle.close();
      await rm(tmp, { force: true });
      throw e;
    }
    await handle.close();
    await rename(tmp, this.path(key));
    return { key, size, sha256: hash.digest("hex") };
  }

  read(key: string): Readable {
    return createReadStream(this.path(key));
  }

  async size(key: string): Promise<number> {
    return (await stat(this.path(key))).size;
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
