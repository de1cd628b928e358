import type { ErrorCategory } from "../core/errors.js";

/**
 * Exit codes scripts can rely on. Commands return one of these; only main.ts
 * sets process.exitCode. An error's exit code follows from its code's
 * category (src/core/errors.ts), so one code always gives one exit code.
 */
export const EXIT = {
  ok: 0,
  error: 1,
  /** refused for security reasons (signature, rollback, expiry, digest, size). */
  refused: 2,
  /** this kernel is not covered by the repository. */
  notCovered: 3,
  usage: 64,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const BY_CATEGORY: Record<ErrorCategory, ExitCode> = {
  usage: EXIT.usage,
  security: EXIT.refused,
  "not-covered": EXIT.notCovered,
  failure: EXIT.error,
  internal: EXIT.error,
};

/** The exit code of an error of `category`. */
export function exitCodeFor(category: ErrorCategory): ExitCode {
  return BY_CATEGORY[category];
}
