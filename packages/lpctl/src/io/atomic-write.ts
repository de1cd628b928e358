/**
 * Crash-safe file replacement shared by the builder, the publisher and the
 * agent: a reader sees the old content or the new, never a mix, and after a
 * crash nothing half-written is left under the real name.
 */
import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Writes `data` to a temp file beside `path`, fsyncs it, renames it over
 * `path`, fsyncs the directory. `durable: false` skips both fsyncs: the
 * rename still means a killed process leaves old or new content, never a mix,
 * but a power loss may lose the write (for state that is cheap to lose).
 * `syncDirectory: false` leaves the directory's fsync to the caller, who
 * writes many files into it and calls syncDirectory once after them.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode = 0o644,
  options: { durable?: boolean; syncDirectory?: boolean } = {},
): Promise<void> {
  const durable = options.durable ?? true;
  const tmp = join(
    dirname(path),
    `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`,
  );
  const handle = await open(tmp, "wx", mode);
  try {
    await handle.writeFile(data);
    if (durable) await handle.sync();
  } catch (e) {
    await handle.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  if (!durable || options.syncDirectory === false) return;
  await syncDirectory(dirname(path));
}

/** Makes the renames into `dir` durable: a rename is only on disk once the directory entry is synced. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
