/**
 * Every failure the tool reports on purpose is an LpctlError with a stable
 * `code` (scripts and tests match on it), a message that says what to do, and
 * the underlying `cause` when a library error was translated.
 */
export type ErrorCode =
  // repository model and validation
  | "YAML_INVALID"
  | "SCHEMA_INVALID"
  | "FILE_MISSING"
  | "FILE_TOO_LARGE"
  | "ID_INVALID"
  | "ID_DUPLICATE"
  | "KERNEL_UNKNOWN"
  | "PATCH_INVALID"
  | "PATH_UNSAFE"
  | "REPO_INVALID"
  // cli
  | "USAGE"
  // builder
  | "TOOL_MISSING"
  | "TARGET_UNKNOWN"
  | "SOURCE_UNAVAILABLE"
  | "SOURCE_DIGEST_MISMATCH"
  | "CONFIG_OPTION_DROPPED"
  | "KERNEL_BUILD_FAILED"
  | "TOOLCHAIN_MISMATCH"
  | "PATCH_APPLY_FAILED"
  | "KPATCH_BUILD_FAILED"
  | "CACHE_LOCKED"
  | "VM_TEST_FAILED"
  | "BUILD_REPORT_INVALID"
  // publisher and verification
  | "KEY_INVALID"
  | "KEY_MISSING"
  | "SIGNATURE_MISSING"
  | "SIGNATURE_INVALID"
  | "SIGNATURE_UNTRUSTED"
  | "SIGNATURE_KEY_EXPIRED"
  | "SIGNATURE_KEY_REVOKED"
  | "THRESHOLD_NOT_MET"
  | "MANIFEST_TOO_LARGE"
  | "MANIFEST_MALFORMED"
  | "MANIFEST_DUPLICATE_KEY"
  | "MANIFEST_VERSION_INVALID"
  | "MANIFEST_EXPIRES_INVALID"
  | "MANIFEST_ROLLBACK"
  | "MANIFEST_EXPIRED"
  | "MANIFEST_FILE_NAME_UNSAFE"
  | "MANIFEST_DUPLICATE_TARGET"
  | "RELEASE_CONFLICT"
  | "RELEASE_FAILED"
  | "MIRROR_FAILED"
  | "PREVIOUS_UNVERIFIED"
  | "RESUME_WINDOW_INVALID"
  | "PROVENANCE_MISSING"
  | "PROVENANCE_MISMATCH"
  | "PUBLISH_LOCKED"
  | "MODULE_NAME_REUSED"
  | "MANIFEST_REPOSITORY_MISMATCH"
  | "MANIFEST_WRONG_KERNEL"
  | "MANIFEST_VERSION_REUSED"
  | "KEY_LIST_INVALID"
  | "KEY_LIST_ROLLBACK"
  | "KEY_LIST_EXPIRED"
  // agent
  | "CONFIG_INVALID"
  | "KERNEL_IDENTITY"
  | "KERNEL_NOT_COVERED"
  | "FETCH_FAILED"
  | "DOWNLOAD_TOO_LARGE"
  | "DIGEST_MISMATCH"
  | "MODULE_LOAD_FAILED"
  | "TRANSITION_TIMEOUT"
  | "SYNC_LOCKED"
  | "STATE_INVALID"
  // anything not translated yet
  | "INTERNAL";

export class LpctlError extends Error {
  override readonly name = "LpctlError";
  readonly code: ErrorCode;
  /** Extra machine-readable context (file, field path, ...) for --json output. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** True when `e` is an LpctlError, optionally with the given code. */
export function isLpctlError(e: unknown, code?: ErrorCode): e is LpctlError {
  return e instanceof LpctlError && (code === undefined || e.code === code);
}
