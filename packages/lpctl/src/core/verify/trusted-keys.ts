/** The pinned public keys a verifier trusts, read from armored text (no I/O). */
import { readKeys, type PublicKey } from "openpgp";
import { LpctlError } from "../errors.js";

/** Reads every key in `armored` (each entry may hold several); private keys are reduced to public. */
export async function readTrustedKeys(armored: readonly string[]): Promise<PublicKey[]> {
  if (armored.length === 0 || armored.every((a) => a.trim() === "")) {
    throw new LpctlError(
      "KEY_MISSING",
      "no trusted public key given: pin the publisher's signing-key.pub.asc (--key FILE)",
    );
  }
  const keys: PublicKey[] = [];
  for (const [i, text] of armored.entries()) {
    let read;
    try {
      read = await readKeys({ armoredKeys: text });
    } catch (e) {
      throw new LpctlError(
        "KEY_INVALID",
        `trusted key #${i + 1} is not an armored OpenPGP public key (${String(e)}); pass the publisher's signing-key.pub.asc`,
        { cause: e },
      );
    }
    for (const key of read) keys.push(key.isPrivate() ? key.toPublic() : key);
  }
  return keys;
}

/** The fingerprint as GnuPG prints it (upper-case hex). */
export function fingerprintOf(key: PublicKey): string {
  return key.getFingerprint().toUpperCase();
}
