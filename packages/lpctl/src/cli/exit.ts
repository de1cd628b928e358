import type { ErrorCategory } from "../core/errors.js";

/**
 * Exit codes scripts can rely on. Commands return one of these; only main.ts
 * sets process.exitCode. An error's exit code follows from its code's
 * category (packages/lpctl/src/core/errors.ts), so one code always gives one exit code.
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

/** The exit codes as `lpctl --help` and docs/operating-hosts.md show them. */
export const EXIT_TABLE = `Exit codes (every command):
  0   success (status: every patch the manifest lists is live)
  1   failure (status: patches pending, apply failed, or the last check failed)
  2   refused on security grounds: signature, key, rollback, expiry, digest, size
  3   this kernel is not covered by the repository
  64  usage: unknown command or option, missing or invalid option value`;
