/**
 * Before the publisher builds on anything already published (an earlier
 * release's manifest for its version number and, with --refresh, its whole
 * content; a half-published release's issue window), it checks that it was
 * signed by its own key(s). Otherwise whoever can write to a mirror
 * directory or a GitHub release could get arbitrary content re-signed, the
 * expiry pushed out of reach, or the version number out of reach.
 */
import { LpctlError, isLpctlError } from "../core/errors.js";
import type { Manifest } from "../core/manifest.js";
import { verifyManifest } from "../core/verify/index.js";

/**
 * Verifies `manifestBytes` against `signature` with `publicKeys`, as of the
 * manifest's own issue time: an expired manifest is exactly what a refresh
 * re-issues, so expiry is not a reason to refuse here; a bad or foreign
 * signature is (PREVIOUS_UNVERIFIED, the reason's code in `details.reason`).
 */
export async function checkOwnSignature(
  manifestBytes: Uint8Array,
  signature: Uint8Array | undefined,
  publicKeys: string | readonly string[],
  where: string,
): Promise<Manifest> {
  const keys = typeof publicKeys === "string" ? [publicKeys] : [...publicKeys];
  try {
    if (signature === undefined || signature.length === 0) {
      throw new LpctlError("SIGNATURE_MISSING", "it has no signature (.asc)");
    }
    const { manifest } = await verifyManifest({
      manifest: manifestBytes,
      signature,
      keys,
      now: issuedAt(manifestBytes),
    });
    return manifest;
  } catch (e) {
    if (!isLpctlError(e)) throw e;
    throw new LpctlError(
      "PREVIOUS_UNVERIFIED",
      `${where}: does not verify with the publisher's own key(s) (${e.code}: ${e.message}); refusing to build on it or re-sign any of it`,
      { cause: e, details: { where, reason: e.code } },
    );
  }
}

function issuedAt(bytes: Uint8Array): Date {
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as { issued?: unknown };
    const t = typeof value.issued === "string" ? new Date(value.issued) : undefined;
    if (t && !Number.isNaN(t.getTime())) return t;
  } catch {
    // fall through: verifyManifest below reports the malformed manifest precisely
  }
  return new Date();
}
