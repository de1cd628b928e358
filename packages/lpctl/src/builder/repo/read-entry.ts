/**
 * Reads one file into a RepoEntry without following symlinks and without
 * reading more than its size limit: shared by the repository reader and
 * `lpctl lint`, so both see a patch file the same way.
 */
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import type { RepoEntry } from "../../core/repo-snapshot.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Reads `abs` as entry `rel`; over `limit` the entry has no text, only its size. */
export async function readFileEntry(
  abs: string,
  rel: string,
  size: number,
  limit: number,
): Promise<RepoEntry> {
  if (size > limit) return { path: rel, size };
  // O_NOFOLLOW: the file may have been swapped for a symlink since lstat.
  const fh = await open(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    // Read at most limit + 1 bytes, so a file that grew since lstat is still caught.
    const buf = Buffer.alloc(Math.min(size, limit) + 1);
    let n = 0;
    while (n < buf.length) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    if (n > limit) return { path: rel, size: Math.max(n, size) };
    return entryFromBytes(rel, buf.subarray(0, n), limit);
  } finally {
    await fh.close();
  }
}

/** The entry for bytes already read (stdin); over `limit` it has no text. */
export function entryFromBytes(rel: string, bytes: Uint8Array, limit: number): RepoEntry {
  if (bytes.length > limit) return { path: rel, size: bytes.length };
  return { path: rel, size: bytes.length, text: decodeText(bytes) };
}

/** The file's text, or undefined for binary content (NUL bytes or invalid UTF-8). */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
