/**
 * A problem found while checking input that is reported together with others
 * (validate lists every problem in a repository, not only the first).
 */
import type { ErrorCode } from "./errors.js";

export interface Problem {
  /** Repository-relative file the problem is in. */
  file: string;
  /** Field path inside the file ("kernels[1]"), or "" for the whole file. */
  path: string;
  code: ErrorCode;
  message: string;
}

// eslint-disable-next-line no-control-regex -- control characters are what is being replaced
const CONTROL_ALL_RE = /[\x00-\x1f\x7f]/g;

/**
 * `s` with control characters shown as `\xNN`. File names and diff lines come
 * from pull requests; printed raw, a newline or escape sequence could forge
 * lines in a CI log.
 */
export function printable(s: string): string {
  return s.replace(CONTROL_ALL_RE, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** "file: path: message", the one-line form validate prints, control characters escaped. */
export function formatProblem(p: Problem): string {
  const line = p.path ? `${p.file}: ${p.path}: ${p.message}` : `${p.file}: ${p.message}`;
  return printable(line);
}
