/**
 * Before the publisher builds on an earlier release (its version number, or
 * with --refresh its whole content, which gets re-signed), it checks that
 * release was signed by its own key. Otherwise whoever can write to a mirror
 * directory could get arbitrary content re-signed, or push the version
 * number out of reach.
 */
import { LpctlError, isLpctlError } from "../core/errors.js";
import type { Manifest } from "../core/manifest.js";
import { verifyManifest } from "../core/verify/index.js";

/**
 * Verifies `manifestBytes` against `signature` with `publicKey`, as of the
 * manifest's own issue time: an expired manifest is exactly what a refresh
 * re-issues, so expiry is not a reason to refuse here; a bad or foreign
 * signature is.
 */
export async function checkOwnSignature(
  manifestBytes: Uint8Array,
  signature: Uint8Array,
  publicKey: string,
  where: string,
): Promise<Manifest> {
  const issued = issuedAt(manifestBytes);
  try {
    const { manifest } = await verifyManifest({
      manifest: manifestBytes,
      signature,
      keys: [publicKey],
      now: issued,
    });
    return manifest;
  } catch (e) {
    if (!isLpctlError(e)) throw e;
    throw new LpctlError(
      e.code,
      `${where}: the previous release does not verify with the signing key (${e.message}); refusing to build on it`,
      { cause: e },
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
