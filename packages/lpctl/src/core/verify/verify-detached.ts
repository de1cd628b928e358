/**
 * Detached OpenPGP signature checks against pinned keys, with a threshold:
 * pure (bytes and armored keys in, fingerprints out), one reference time.
 */
import { createMessage, verify, type PublicKey, type Signature } from "openpgp";
import { LpctlError, type ErrorCode } from "../errors.js";
import { readDetachedSignature } from "./read-signature.js";
import { fingerprintOf, readTrustedKeys } from "./trusted-keys.js";

export interface DetachedResult {
  /** Fingerprints (upper-case hex) of the distinct pinned keys whose signature verified. */
  fingerprints: string[];
}

/** Verifies `armoredSignature` over `bytes` with the pinned `keys` at `now`; throws LpctlError. */
export async function verifyDetached(
  bytes: Uint8Array,
  armoredSignature: Uint8Array | string,
  keys: readonly string[],
  now: Date,
  threshold = 1,
): Promise<DetachedResult> {
  const trusted = await readTrustedKeys(keys);
  const signature = await readDetachedSignature(armoredSignature);
  return checkSignatures(bytes, signature, trusted, now, threshold);
}

/** Signatures dated up to this far after `now` are accepted (host clock skew). */
export const CLOCK_SKEW_MS = 10 * 60 * 1000;

/** When several signatures fail, report the most telling reason. */
const PRIORITY: ErrorCode[] = [
  "SIGNATURE_KEY_REVOKED",
  "SIGNATURE_KEY_EXPIRED",
  "SIGNATURE_FUTURE",
  "SIGNATURE_INVALID",
  "SIGNATURE_UNTRUSTED",
];

/** The threshold rule over already-read keys and signature packets. */
export async function checkSignatures(
  bytes: Uint8Array,
  signature: Signature,
  trusted: readonly PublicKey[],
  now: Date,
  threshold: number,
): Promise<DetachedResult> {
  if (!Number.isSafeInteger(threshold) || threshold < 1) {
    throw new LpctlError("USAGE", `threshold must be a positive integer, not ${threshold}`);
  }
  const message = await createMessage({ binary: bytes });
  const { signatures } = await verify({
    message,
    signature,
    verificationKeys: [...trusted],
    // clock skew: a host whose clock lags the publisher's must still accept a
    // signature made a moment ago; key validity is checked at `now` below.
    date: new Date(now.getTime() + CLOCK_SKEW_MS),
    format: "binary",
  });
  const valid = new Set<string>();
  const failures: LpctlError[] = [];
  for (const result of signatures) {
    const outcome = await checkOne(result.keyID.toHex(), result.verified, trusted, now);
    if (typeof outcome === "string") valid.add(outcome);
    else failures.push(outcome);
  }
  // threshold: each pinned key counts once, however many signatures it made.
  if (valid.size >= threshold) return { fingerprints: [...valid].sort() };
  if (valid.size > 0 || failures.length === 0) {
    throw new LpctlError(
      "THRESHOLD_NOT_MET",
      `${valid.size} of the required ${threshold} distinct pinned keys signed; collect more signatures or lower --threshold`,
      { details: { valid: [...valid], failures: failures.map((f) => f.message) } },
    );
  }
  failures.sort((a, b) => PRIORITY.indexOf(a.code) - PRIORITY.indexOf(b.code));
  throw failures[0];
}

/** The fingerprint of the pinned key that made a valid signature, or the reason it is not. */
async function checkOne(
  keyID: string,
  verified: Promise<true>,
  trusted: readonly PublicKey[],
  now: Date,
): Promise<string | LpctlError> {
  const key = trusted.find((k) => k.getKeys().some((sub) => sub.getKeyID().toHex() === keyID));
  try {
    await verified;
    // trust: only signatures by a pinned key count (openpgp only used pinned keys).
    if (key !== undefined) {
      // key validity at `now`, not only at signing time: openpgp.js (like
      // GnuPG) accepts old signatures of a since-expired key; we do not.
      return (await keyStatus(key, now, undefined)) ?? fingerprintOf(key);
    }
  } catch (e) {
    if (key !== undefined) return (await keyStatus(key, now, e)) ?? invalid(key, keyID, e);
  }
  return new LpctlError(
    "SIGNATURE_UNTRUSTED",
    `signed by key ${keyID.toUpperCase()}, which is not pinned; pin the publisher's key or check where the files came from`,
  );
}

/** Why `key` cannot sign at `now` (revoked, expired), or undefined when it can. */
async function keyStatus(key: PublicKey, now: Date, e: unknown): Promise<LpctlError | undefined> {
  const fp = fingerprintOf(key);
  const reason = e instanceof Error ? e.message : "";
  // revocation: a revoked key's signatures are refused whatever they cover.
  if ((await key.isRevoked(undefined, undefined, now)) || /revoked/i.test(reason)) {
    return new LpctlError(
      "SIGNATURE_KEY_REVOKED",
      `the signing key ${fp} is revoked; pin the publisher's new key`,
      { cause: e, details: { fingerprint: fp } },
    );
  }
  // key expiry: checked at the run's reference time, like manifest expiry.
  const expires = await key.getExpirationTime().catch(() => null);
  if ((expires instanceof Date && expires <= now) || /expired/i.test(reason)) {
    return new LpctlError(
      "SIGNATURE_KEY_EXPIRED",
      `the signing key ${fp} expired${expires instanceof Date ? ` at ${expires.toISOString()}` : ""}; the publisher must extend it or sign with a new pinned key`,
      { cause: e, details: { fingerprint: fp } },
    );
  }
  return undefined;
}

function invalid(key: PublicKey, keyID: string, e: unknown): LpctlError {
  const fp = fingerprintOf(key);
  const reason = e instanceof Error ? e.message : String(e);
  // clock: a signature dated after now + skew is not "changed", it is early.
  if (/in the future/i.test(reason)) {
    return new LpctlError(
      "SIGNATURE_FUTURE",
      `the signature by ${fp} (key ${keyID.toUpperCase()}) is dated in the future, more than ${CLOCK_SKEW_MS / 60_000} minutes after this run's time; check this machine's clock (or --now) and the publisher's`,
      { cause: e, details: { fingerprint: fp } },
    );
  }
  return new LpctlError(
    "SIGNATURE_INVALID",
    `the signature by ${fp} (key ${keyID.toUpperCase()}) does not match the file: it was changed or the signature belongs to another file (${reason})`,
    { cause: e, details: { fingerprint: fp } },
  );
}
