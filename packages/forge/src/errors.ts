/**
 * Every failure the forge reports on purpose is a ForgeError with a stable
 * `code` (tests and callers match on it), a message that says what to do,
 * and the underlying `cause` when a library error was translated. The forge
 * has its own error type so that it can be used, and published, without the
 * product (`lpctl`) it was written for.
 */

/** Every code the forge throws, one line each. */
export const FORGE_ERROR_CODES = [
  // the command line (livepatch-forge)
  "USAGE",
  // HTTP requests the forge refuses or cannot serve
  "FORGE_HTTP",
  "FORGE_STATE_INVALID",
  "FORGE_GIT_FAILED",
  "FORGE_START_FAILED",
  // input files: a missing file, a path that leaves its root, a file that does not match its schema
  "FILE_MISSING",
  "PATH_UNSAFE",
  "SCHEMA_INVALID",
  // conformance: GitHub's OpenAPI description cannot be read
  "CONFORMANCE_SPEC_UNAVAILABLE",
  // Actions: workflows, expressions, actions
  "WORKFLOW_INVALID",
  "WORKFLOW_UNSUPPORTED",
  "EXPRESSION_INVALID",
  "ACTION_UNSUPPORTED",
  "ACTION_FAILED",
  // Actions: a run's artifact refused (duplicate or unsafe name), a checkout that failed
  "FORGE_ARTIFACT_REFUSED",
  "FORGE_CHECKOUT_FAILED",
  // Actions: the job sandbox cannot be set up (no bwrap, not root, an unusable path)
  "FORGE_SANDBOX_UNAVAILABLE",
] as const;

export type ForgeErrorCode = (typeof FORGE_ERROR_CODES)[number];

export class ForgeError extends Error {
  override readonly name = "ForgeError";
  readonly code: ForgeErrorCode;
  /** Extra machine-readable context (file, field path, ...). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: ForgeErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** True when `e` is a ForgeError, optionally with the given code. */
export function isForgeError(e: unknown, code?: ForgeErrorCode): e is ForgeError {
  return e instanceof ForgeError && (code === undefined || e.code === code);
}
