/** Writes a file so readers see the old or the new content, never a mix. */
import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Writes `bytes` to a temporary file beside `path`, syncs it, then renames it over `path`. */
export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array,
  mode = 0o644,
): Promise<void> {
  const tmp = join(
    dirname(path),
    `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`,
  );
  const handle = await open(tmp, "wx", mode);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
