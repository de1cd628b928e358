/**
 * Exit codes scripts can rely on. Commands return one of these; only main.ts
 * calls process.exit.
 */
export const EXIT = {
  ok: 0,
  error: 1,
  /** refused for security reasons (signature, rollback, expiry, digest). */
  refused: 2,
  /** this kernel is not covered by the repository. */
  notCovered: 3,
  usage: 64,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
