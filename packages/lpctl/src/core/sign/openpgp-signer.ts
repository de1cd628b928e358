/**
 * A Signer backed by an armored OpenPGP private key held in memory
 * (openpgp.js). openpgp.sign makes the first signature of every second: it
 * checks the key at that time (expired, revoked, not yet valid) and picks the
 * hash. The other signatures of that second, for an Ed25519 key, are the
 * same packet made directly (eddsa-legacy-signature.ts); a release signs
 * thousands of files within a few seconds.
 */
import {
  armor,
  createMessage,
  decryptKey,
  enums,
  readPrivateKey,
  sign,
  type Message,
  type PrivateKey,
  type Signature,
  type SignOptions,
} from "openpgp";
import { LpctlError } from "../errors.js";
import { eddsaLegacySigner, type PacketSigner } from "./eddsa-legacy-signature.js";
import type { Signer } from "./signer.js";

// openpgp's stream-aware return type does not resolve without the DOM lib;
// for an in-memory message it is the Signature.
const signObject = sign as unknown as (
  options: SignOptions & { message: Message<Uint8Array>; format: "object" },
) => Promise<Signature>;

/** openpgp.sign's detached signature over `bytes` by `key` at `date` (it checks the key at that time). */
export async function openpgpSignature(
  key: PrivateKey,
  bytes: Uint8Array,
  date: Date,
): Promise<Signature> {
  return signObject({
    message: await createMessage({ binary: bytes }),
    signingKeys: key,
    detached: true,
    format: "object",
    date,
  });
}

/** Reads (and with `passphrase`, decrypts) `armoredKey` into a Signer; `now` fixes signature times in tests. */
export async function createOpenpgpSigner(
  armoredKey: string,
  passphrase?: string,
  now?: () => Date,
): Promise<Signer> {
  let key: PrivateKey;
  try {
    key = await readPrivateKey({ armoredKey });
  } catch (e) {
    throw new LpctlError(
      "KEY_INVALID",
      `the signing key is not an armored OpenPGP private key (${String(e)}); pass signing-key.asc from lpctl keygen`,
      { cause: e },
    );
  }
  if (!key.isDecrypted()) {
    if (passphrase === undefined) {
      throw new LpctlError(
        "KEY_INVALID",
        "the signing key is protected by a passphrase; set LPCTL_SIGNING_PASSPHRASE",
      );
    }
    try {
      key = await decryptKey({ privateKey: key, passphrase });
    } catch (e) {
      throw new LpctlError("KEY_INVALID", `cannot unlock the signing key: ${String(e)}`, {
        cause: e,
      });
    }
  }
  const fingerprint = key.getFingerprint().toUpperCase();
  const unlocked = key;
  // The second whose first signature openpgp.sign made, and the direct signer it allows.
  let checked: { second: number; direct: PacketSigner | undefined } | undefined;
  const viaOpenpgp = async (bytes: Uint8Array, date: Date): Promise<string> => {
    const signature = await openpgpSignature(unlocked, bytes, date);
    const [packet] = signature.packets;
    const signingKey = packet && (await unlocked.getSigningKey(packet.issuerKeyID, date));
    checked = {
      second: Math.floor(date.getTime() / 1000),
      // Only when openpgp.sign wrote the packet the direct signer writes (v4, one salt notation).
      direct:
        packet?.version === 4 && packet.rawNotations.length === 1 && signingKey
          ? eddsaLegacySigner(signingKey, packet.hashAlgorithm)
          : undefined,
    };
    return signature.armor();
  };
  return {
    fingerprint,
    publicKey: key.toPublic().armor(),
    async sign(bytes: Uint8Array): Promise<string> {
      const date = now ? now() : new Date();
      try {
        const direct = checked?.second === Math.floor(date.getTime() / 1000) && checked.direct;
        // With the checksum line, as openpgp.js armors a v4 signature (GnuPG wants it).
        if (direct)
          return armor(
            enums.armor.signature,
            direct(bytes, date),
            undefined,
            undefined,
            undefined,
            true,
          );
        return await viaOpenpgp(bytes, date);
      } catch (e) {
        throw new LpctlError(
          "KEY_INVALID",
          `signing with key ${fingerprint} failed (${String(e)}); is it expired or revoked?`,
          { cause: e },
        );
      }
    },
  };
}
