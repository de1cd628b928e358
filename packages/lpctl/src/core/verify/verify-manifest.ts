/**
 * Verifies a signed manifest (manifest.json or kernel-<buildId>.json) the
 * way a host must: size cap, signature over the exact bytes by pinned keys,
 * then strict parse and the manifest rules. Pure: bytes and keys in.
 */
import { LpctlError } from "../errors.js";
import { MANIFEST_MAX_BYTES, type Manifest } from "../manifest.js";
import { readManifestBytes } from "./check-manifest.js";
import { verifyDetached } from "./verify-detached.js";

export interface VerifyManifestInput {
  manifest: Uint8Array;
  /** The detached `.asc`: one or more armored signatures (or binary packets). */
  signature: Uint8Array;
  /** Armored public keys pinned by the host. */
  keys: string[];
  /** Distinct pinned keys that must have signed (default 1). */
  threshold?: number;
  /** The one reference time of this run. */
  now: Date;
  /** Version accepted last time, for the rollback rule. */
  lastVersion?: number;
  /**
   * Only the entry with this build-id is validated and returned (`kernels`
   * has it or is empty); the rest is checked for duplicates only.
   */
  select?: string;
}

export interface VerifiedManifest {
  manifest: Manifest;
  fingerprints: string[];
  /** True when the version equals `lastVersion`: nothing new to do. */
  unchanged: boolean;
}

/**
 * MANIFEST_TOO_LARGE; `size` only when the real size is known (callers read
 * at most cap + 1 bytes, so the length they hold says only "more than").
 */
export function manifestTooLarge(size?: number): LpctlError {
  const what = size === undefined ? "more than" : `${size} bytes, more than`;
  return new LpctlError(
    "MANIFEST_TOO_LARGE",
    `manifest is ${what} the ${MANIFEST_MAX_BYTES}-byte cap; refusing to parse it (a real manifest is far smaller: check where it came from)`,
    { details: { maxBytes: MANIFEST_MAX_BYTES, ...(size === undefined ? {} : { size }) } },
  );
}

/** Verifies `input.manifest` against its signature and the manifest rules; throws LpctlError. */
export async function verifyManifest(input: VerifyManifestInput): Promise<VerifiedManifest> {
  // size: refuse before parsing, so a huge file cannot exhaust memory.
  if (input.manifest.length > MANIFEST_MAX_BYTES) throw manifestTooLarge();
  if (input.signature.length === 0) {
    throw new LpctlError(
      "SIGNATURE_MISSING",
      "the manifest has no signature (.asc); fetch manifest.json.asc next to it",
    );
  }
  // signature: checked over the exact bytes before anything is parsed.
  const { fingerprints } = await verifyDetached(
    input.manifest,
    input.signature,
    input.keys,
    input.now,
    input.threshold ?? 1,
  );
  const { manifest, unchanged } = readManifestBytes(
    input.manifest,
    input.now,
    input.lastVersion,
    input.select,
  );
  return { manifest, fingerprints, unchanged };
}
