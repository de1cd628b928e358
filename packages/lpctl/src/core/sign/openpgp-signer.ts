/** A Signer backed by an armored OpenPGP private key held in memory (openpgp.js). */
import {
  createMessage,
  decryptKey,
  readPrivateKey,
  sign,
  type Message,
  type PrivateKey,
  type SignOptions,
} from "openpgp";
import { LpctlError } from "../errors.js";
import type { Signer } from "./signer.js";

// openpgp's stream-aware return type does not resolve without the DOM lib;
// for an in-memory message with armored output it is a string.
const signArmored = sign as (
  options: SignOptions & { message: Message<Uint8Array>; format: "armored" },
) => Promise<string>;

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
  return {
    fingerprint,
    publicKey: key.toPublic().armor(),
    async sign(bytes: Uint8Array): Promise<string> {
      const message = await createMessage({ binary: bytes });
      try {
        const signature = await signArmored({
          message,
          signingKeys: key,
          detached: true,
          format: "armored",
          date: now ? now() : new Date(),
        });
        return signature;
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
