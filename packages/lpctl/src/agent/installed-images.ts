/**
 * The kernel images installed on a Debian host, /boot/vmlinuz-<release>
 * (what linux-image-* packages install), each with its build-id: read from
 * the image (image-build-id.ts) unless the last run saw the same path with
 * the same size and mtime.
 */
import { readdir, stat } from "node:fs/promises";
import { isLpctlError } from "../core/errors.js";
import type { HostRoot } from "./host-root.js";
import { imageBuildId } from "./image-build-id.js";
import type { ImageRecord } from "./prepared-state.js";

export interface InstalledImage {
  path: string;
  release: string;
  size: number;
  mtimeMs: number;
}

// dpkg's temporary and backup names are not installed kernels.
const IMAGE = /^vmlinuz-(.+?)$/;
const NOT_INSTALLED = /\.(dpkg-[a-z]+|old|bak)$/;

/** The regular files /boot/vmlinuz-* under `root`, by name. */
export async function installedImages(root: HostRoot): Promise<InstalledImage[]> {
  const names = await readdir(root.resolve("/boot")).catch(() => [] as string[]);
  const images: InstalledImage[] = [];
  for (const name of names.sort()) {
    const release = IMAGE.exec(name)?.[1];
    if (release === undefined || NOT_INSTALLED.test(name)) continue;
    const p = `/boot/${name}`;
    const st = await stat(root.resolve(p)).catch(() => undefined);
    if (st?.isFile() !== true) continue;
    images.push({ path: p, release, size: st.size, mtimeMs: st.mtimeMs });
  }
  return images;
}

/** `image`'s build-id, from `seen` when path, size and mtime are unchanged. */
export async function buildIdOf(
  root: HostRoot,
  image: InstalledImage,
  seen: ImageRecord[],
): Promise<{ buildId: string; cached: boolean }> {
  const hit = seen.find(
    (s) => s.path === image.path && s.size === image.size && s.mtimeMs === image.mtimeMs,
  );
  if (hit !== undefined) return { buildId: hit.buildId, cached: true };
  return { buildId: await imageBuildId(root.resolve(image.path)), cached: false };
}

export const errorOf = (e: unknown): { code: string; message: string } => ({
  code: isLpctlError(e) ? e.code : "INTERNAL",
  message: e instanceof Error ? e.message : String(e),
});
