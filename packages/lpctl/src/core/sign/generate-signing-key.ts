/** Generates a release signing key GnuPG 2.2 can verify (v4 EdDSA, or RSA-4096). */
import { generateKey, readKey } from "openpgp";

export interface GeneratedKey {
  privateKey: string;
  publicKey: string;
  fingerprint: string;
}

export interface KeygenOptions {
  name: string;
  email?: string;
  /** RSA-4096 instead of the default Ed25519 (v4 EdDSA). */
  rsa?: boolean;
  passphrase?: string;
  /** Seconds until the key expires; 0 or undefined = never. */
  expiresInSeconds?: number;
  date?: Date;
}

/** A new armored key pair and its fingerprint. */
export async function generateSigningKey(options: KeygenOptions): Promise<GeneratedKey> {
  const userID = options.email
    ? { name: options.name, email: options.email }
    : { name: options.name };
  // 'ecc' = v4 EdDSA (ed25519Legacy): 'curve25519' would make RFC 9580 v6
  // keys that GnuPG 2.2 (Debian bookworm) cannot check.
  const algorithm = options.rsa
    ? { type: "rsa" as const, rsaBits: 4096 }
    : { type: "ecc" as const, curve: "ed25519Legacy" as const };
  const { privateKey, publicKey } = await generateKey({
    ...algorithm,
    userIDs: [userID],
    format: "armored",
    ...(options.passphrase ? { passphrase: options.passphrase } : {}),
    ...(options.expiresInSeconds ? { keyExpirationTime: options.expiresInSeconds } : {}),
    ...(options.date ? { date: options.date } : {}),
  });
  const fingerprint = (await readKey({ armoredKey: publicKey })).getFingerprint().toUpperCase();
  return { privateKey, publicKey, fingerprint };
}
