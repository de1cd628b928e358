/**
 * A problem found while checking input that is reported together with others
 * (validate lists every problem in a repository, not only the first).
 */
import type { ErrorCode } from "./errors.js";
import { printable } from "./printable.js";

export interface Problem {
  /** Repository-relative file the problem is in. */
  file: string;
  /** Field path inside the file ("kernels[1]"), or "" for the whole file. */
  path: string;
  code: ErrorCode;
  message: string;
}

/** "file: path: message", the one-line form validate prints, control characters escaped. */
export function formatProblem(p: Problem): string {
  const line = p.path ? `${p.file}: ${p.path}: ${p.message}` : `${p.file}: ${p.message}`;
  return printable(line);
}
