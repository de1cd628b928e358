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
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode = 0o644,
  options: { durable?: boolean } = {},
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
  if (!durable) return;
  // The rename itself is only durable once the directory entry is synced.
  const dir = await open(dirname(path), "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
