/**
 * The file-system boundary: a raw Node error (ENOENT, EACCES, ...) becomes
 * one LpctlError naming what we tried, the path, the reason and what to do.
 */
import { isLpctlError, LpctlError, type ErrorCode } from "../core/errors.js";

const ADVICE: Record<string, string> = {
  ENOENT: "no such file or directory; check the path",
  ENOTDIR: "a part of the path is not a directory; check the path",
  EACCES: "permission denied; check the permissions or run as a user that may access it",
  EPERM: "operation not permitted; check the permissions or run as a user that may access it",
  EISDIR: "it is a directory; pass a file",
  ENOSPC: "no space left on the device; free some space and retry",
  EROFS: "the file system is read-only; use a writable location",
  EEXIST: "it already exists; remove it or choose another path",
  EMFILE: "too many open files; raise the limit (ulimit -n) and retry",
};

export interface FsErrorOptions {
  /** Code for anything but a missing file (default IO_FAILED). */
  code?: ErrorCode;
  /** Code for ENOENT (default FILE_MISSING). */
  missing?: ErrorCode;
}

/** `e` as an LpctlError saying we could not `action` (e.g. "read the key /etc/k.asc"). */
export function translateFsError(
  e: unknown,
  action: string,
  opts: FsErrorOptions = {},
): LpctlError {
  if (isLpctlError(e)) return e;
  const errno = (e as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    (errno !== undefined ? ADVICE[errno] : undefined) ??
    `${e instanceof Error ? e.message : String(e)}; check the path and retry`;
  const code = errno === "ENOENT" ? (opts.missing ?? "FILE_MISSING") : (opts.code ?? "IO_FAILED");
  return new LpctlError(code, `cannot ${action}: ${reason}`, {
    cause: e,
    details: { ...(errno === undefined ? {} : { errno }) },
  });
}

/** Runs the file-system operation `fn`, translating what it throws. */
export async function fsStep<T>(
  action: string,
  fn: () => Promise<T>,
  opts: FsErrorOptions = {},
): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw translateFsError(e, action, opts);
  }
}
