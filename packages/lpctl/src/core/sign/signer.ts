/** Whatever makes detached signatures: an in-process key today, a KMS or HSM later. */
export interface Signer {
  /** Fingerprint (upper-case hex) of the key that signs. */
  readonly fingerprint: string;
  /** The armored public key, to check signatures this signer made earlier. */
  readonly publicKey: string;
  /** An armored detached OpenPGP signature over exactly `bytes`. */
  sign(bytes: Uint8Array): Promise<string>;
}
