/**
 * Every failure the tool reports on purpose is an LpctlError with a stable
 * `code` (scripts and tests match on it), a message that says what to do, and
 * the underlying `cause` when a library error was translated.
 */

/**
 * What kind of failure a code is; the CLI's exit code follows from it alone.
 * - usage: the command line was wrong (exit 64)
 * - security: input refused because accepting it could harm a host (exit 2)
 * - not-covered: the running kernel is not served by the repository (exit 3)
 * - failure: the operation failed; fix the input, the environment or retry (exit 1)
 * - internal: a bug, not the user's doing (exit 1)
 */
export type ErrorCategory = "usage" | "security" | "not-covered" | "failure" | "internal";

/**
 * Every error code with its category, one line per code. To add a code, add
 * its line here: the `ErrorCode` type, the exit code and the docs' tables
 * (docs/operating-hosts.md) follow from it.
 */
export const ERROR_CATEGORIES = {
  // repository model and validation
  YAML_INVALID: "failure",
  SCHEMA_INVALID: "failure",
  FILE_MISSING: "failure",
  FILE_TOO_LARGE: "failure",
  IO_FAILED: "failure",
  ID_INVALID: "failure",
  ID_DUPLICATE: "failure",
  KERNEL_UNKNOWN: "failure",
  PATCH_INVALID: "failure",
  PATH_UNSAFE: "failure",
  REPO_INVALID: "failure",
  // a CVE declared twice not live patchable, or both live patched and not, for one target
  CVE_DUPLICATE: "failure",
  CVE_CONFLICT: "failure",
  // cli
  USAGE: "usage",
  // builder
  TOOL_MISSING: "failure",
  TOOL_FAILED: "failure",
  TARGET_UNKNOWN: "failure",
  // lpctl target init: kernels/<id> is there already (never overwritten)
  TARGET_EXISTS: "failure",
  SOURCE_UNAVAILABLE: "failure",
  SOURCE_DIGEST_MISMATCH: "security",
  SOURCE_VERSION_UNAVAILABLE: "failure",
  CONFIG_OPTION_DROPPED: "failure",
  KERNEL_BUILD_FAILED: "failure",
  TOOLCHAIN_MISMATCH: "failure",
  PATCH_APPLY_FAILED: "failure",
  KPATCH_BUILD_FAILED: "failure",
  MODULE_NAME_INVALID: "failure",
  CACHE_LOCKED: "failure",
  VM_TEST_FAILED: "failure",
  VM_INPUT_INVALID: "failure",
  BUILD_REPORT_INVALID: "failure",
  // builder, distribution kernels (image: targets)
  KERNEL_UNPATCHABLE: "failure",
  // lpctl target init --from-host: the running kernel is no Debian linux-image package
  KERNEL_NOT_PACKAGED: "failure",
  KERNEL_BUILD_ID_MISMATCH: "security",
  PATCH_OBJECT_UNSUPPORTED: "failure",
  HEADER_CHANGE_TOO_WIDE: "failure",
  MODULE_ABI_MISMATCH: "failure",
  // publisher and verification
  KEY_INVALID: "failure",
  KEY_MISSING: "failure",
  SIGNATURE_MISSING: "security",
  SIGNATURE_INVALID: "security",
  SIGNATURE_UNTRUSTED: "security",
  SIGNATURE_KEY_EXPIRED: "security",
  SIGNATURE_KEY_REVOKED: "security",
  SIGNATURE_FUTURE: "security",
  THRESHOLD_NOT_MET: "security",
  MANIFEST_TOO_LARGE: "security",
  MANIFEST_MALFORMED: "security",
  MANIFEST_DUPLICATE_KEY: "security",
  MANIFEST_VERSION_INVALID: "security",
  MANIFEST_EXPIRES_INVALID: "security",
  MANIFEST_ROLLBACK: "security",
  MANIFEST_EXPIRED: "security",
  MANIFEST_FILE_NAME_UNSAFE: "security",
  MANIFEST_DUPLICATE_TARGET: "security",
  RELEASE_CONFLICT: "failure",
  RELEASE_FAILED: "failure",
  MIRROR_FAILED: "failure",
  PREVIOUS_UNVERIFIED: "security",
  RESUME_WINDOW_INVALID: "security",
  PROVENANCE_MISSING: "security",
  PROVENANCE_MISMATCH: "security",
  PUBLISH_LOCKED: "failure",
  MODULE_NAME_REUSED: "security",
  MODULE_NOT_REPRODUCED: "security",
  MANIFEST_REPOSITORY_MISMATCH: "security",
  MANIFEST_WRONG_KERNEL: "security",
  MANIFEST_VERSION_REUSED: "security",
  // a manifest for another ring than the host's (or a ring manifest for a host without one)
  MANIFEST_WRONG_RING: "security",
  KEY_LIST_INVALID: "security",
  KEY_LIST_ROLLBACK: "security",
  KEY_LIST_EXPIRED: "security",
  // a manifest names a key-list version the source does not offer
  KEY_LIST_MISSING: "security",
  // a verified manifest's `keys` is not the key-list version its signature was checked with
  MANIFEST_KEYS_MISMATCH: "security",
  // a published vex-<buildId>.json that is not the document its signed manifest gives
  VEX_MISMATCH: "security",
  // agent
  CONFIG_INVALID: "failure",
  KERNEL_IDENTITY: "failure",
  KERNEL_NOT_COVERED: "not-covered",
  FETCH_FAILED: "failure",
  DOWNLOAD_TOO_LARGE: "security",
  DIGEST_MISMATCH: "security",
  // a stored copy (kernels/<buildId>/) that is not what its verification record says was verified
  COPY_RECORD_MISMATCH: "security",
  COPY_RECORD_INVALID: "security",
  COPY_RECORD_WRONG_KERNEL: "security",
  MODULE_LOAD_FAILED: "failure",
  SYSFS_FAILED: "failure",
  TRANSITION_TIMEOUT: "failure",
  SYNC_LOCKED: "failure",
  STATE_INVALID: "failure",
  // status --format openvex: the accepted manifest names no CVE for this kernel
  VEX_EMPTY: "failure",

  // app (the Probot controller)
  APP_CONFIG_INVALID: "failure",
  ARTIFACT_UNSAFE: "security",
  ARTIFACT_MISSING: "failure",
  RUN_UNTRUSTED: "security",
  // a trusted run whose commit is no longer the default branch's tip
  RUN_SUPERSEDED: "failure",
  // a tag v<N> someone other than the app holds, at every version tried
  RELEASE_TAG_TAKEN: "security",
  // the app's own publish record (LPCTL_APP_STATE_DIR) is missing or unreadable
  APP_STATE_INVALID: "failure",
  // rings (.github/livepatch-rings.yml): the file, and what a promotion may name
  RINGS_INVALID: "failure",
  RING_RELEASE_UNKNOWN: "failure",
  RING_MOVED_BACK: "failure",
  RING_SOAKING: "failure",
  GITHUB_FAILED: "failure",
  GITHUB_TIMEOUT: "failure",
  // npm run demo: a step whose check did not pass
  DEMO_FAILED: "failure",
  // anything not translated yet: a bug to report
  INTERNAL: "internal",
} as const satisfies Record<string, ErrorCategory>;

export type ErrorCode = keyof typeof ERROR_CATEGORIES;

/** The category `code` was declared with. */
export function errorCategory(code: ErrorCode): ErrorCategory {
  return ERROR_CATEGORIES[code];
}

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
