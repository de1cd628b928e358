/**
 * What the repository model is checked against: the entries under `kernels/`
 * and `patches/`, read by `packages/lpctl/src/builder/repo/read-repo.ts` (or built in memory by
 * tests). Keeping the reading separate keeps every rule pure.
 */

export type RepoEntryKind = "file" | "dir" | "symlink" | "other";

export interface RepoEntry {
  /** Repository-relative posix path, e.g. `patches/foo/0001-fix.patch`. */
  path: string;
  /** Default "file". Symlinks and special files are recorded, never followed or read. */
  kind?: RepoEntryKind;
  /** Size in bytes (0 for directories and symlinks). */
  size: number;
  /** UTF-8 text; undefined when the file is over its size limit or is binary. */
  text?: string;
}

export type RepoSnapshot = readonly RepoEntry[];

const KiB = 1024;
const MiB = 1024 * KiB;

/** Per-file size limits: a patch is text a reviewer reads; a full .config is ~300 KiB. */
export const SIZE_LIMITS = {
  patch: 8 * MiB,
  yaml: 256 * KiB,
  config: 4 * MiB,
  other: 1 * MiB,
} as const;

/** The size limit that applies to the file at `path`. */
export function sizeLimitFor(path: string): number {
  if (path.endsWith(".patch")) return SIZE_LIMITS.patch;
  if (path.endsWith(".yaml") || path.endsWith(".yml")) return SIZE_LIMITS.yaml;
  if (path.startsWith("kernels/")) return SIZE_LIMITS.config;
  return SIZE_LIMITS.other;
}

/** "50.0 MiB", "12.5 KiB", "300 bytes"; whole numbers of MiB without a decimal ("8 MiB"). */
export function formatSize(bytes: number, exact = false): string {
  if (bytes >= MiB) {
    const v = bytes / MiB;
    return `${exact && Number.isInteger(v) ? v : v.toFixed(1)} MiB`;
  }
  if (bytes >= KiB) {
    const v = bytes / KiB;
    return `${exact && Number.isInteger(v) ? v : v.toFixed(1)} KiB`;
  }
  return `${bytes} bytes`;
}

/** The message for a file over its limit: "is 50.0 MiB; the limit is 8 MiB". */
export function tooLargeMessage(size: number, limit: number): string {
  return `is ${formatSize(size)}; the limit is ${formatSize(limit, true)}`;
}
