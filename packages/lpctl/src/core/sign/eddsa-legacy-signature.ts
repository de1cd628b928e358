/**
 * Detached signatures by a v4 Ed25519 (EdDSA legacy) key, byte for byte the
 * packet openpgp.sign writes (RFC 4880 §5.2.3, RFC 9580 §5.2.3 for v4), but
 * from a node:crypto key made once. openpgp.js re-validates the key,
 * re-imports it into WebCrypto and streams the message for every signature
 * (about 0.4 ms of CPU each); a release signs thousands of files.
 *
 * Packet: version 4, type 0x00 (binary document), algorithm 22, the hash
 * openpgp chose; hashed subpackets creation time (critical), issuer key ID,
 * openpgp.js's salt notation (random, as openpgp.sign adds), issuer
 * fingerprint; no unhashed subpackets; the digest's first two octets; R and
 * S as MPIs.
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign } from "node:crypto";
import { enums, type Key, type Subkey } from "openpgp";

/** openpgp.js's notation for the random salt of a v4 signature (config.nonDeterministicSignaturesViaNotation). */
const SALT_NOTATION = Buffer.from("salt@notations.openpgpjs.org", "utf8");

// Signature subpacket types (RFC 4880 §5.2.3.1); openpgp's typings do not export them.
const CREATION_TIME = 2;
const ISSUER_KEY_ID = 16;
const NOTATION = 20;
const ISSUER_FINGERPRINT = 33;
const CRITICAL = 0x80;

/** node:crypto's name and openpgp.js's salt length for each hash EdDSA may use. */
const HASHES: ReadonlyMap<number, { name: string; salt: number }> = new Map([
  [enums.hash.sha256, { name: "sha256", salt: 16 }],
  [enums.hash.sha384, { name: "sha384", salt: 24 }],
  [enums.hash.sha512, { name: "sha512", salt: 32 }],
  [enums.hash.sha3_256, { name: "sha3-256", salt: 16 }],
  [enums.hash.sha3_512, { name: "sha3-512", salt: 32 }],
]);

/** Makes the binary signature packet over `bytes` at `date`. */
export type PacketSigner = (bytes: Uint8Array, date: Date) => Uint8Array;

/**
 * A PacketSigner for `signingKey` with `hashAlgorithm` (both as openpgp.sign
 * chose them), or undefined when the key is not a decrypted v4 Ed25519
 * legacy key or the hash is not one EdDSA takes: then only openpgp.sign signs.
 */
export function eddsaLegacySigner(
  signingKey: Key | Subkey,
  hashAlgorithm: number | null,
): PacketSigner | undefined {
  const packet = signingKey.keyPacket;
  const info = packet.getAlgorithmInfo();
  const hash = hashAlgorithm === null ? undefined : HASHES.get(hashAlgorithm);
  const fingerprint = packet.getFingerprintBytes();
  const { Q } = packet.publicParams as { Q?: Uint8Array };
  const { seed } = ("privateParams" in packet ? (packet.privateParams ?? {}) : {}) as {
    seed?: Uint8Array;
  };
  if (
    packet.version !== 4 ||
    info.algorithm !== "eddsaLegacy" ||
    info.curve !== enums.curve.ed25519Legacy ||
    hashAlgorithm === null ||
    hash === undefined ||
    fingerprint === null ||
    Q?.length !== 33 ||
    seed?.length !== 32
  )
    return undefined;
  const x = Buffer.from(Q.subarray(1)).toString("base64url");
  const key = createPrivateKey({
    format: "jwk",
    key: { kty: "OKP", crv: "Ed25519", d: Buffer.from(seed).toString("base64url"), x },
  });
  // integrity: the seed must be the private half of the published key.
  if (createPublicKey(key).export({ format: "jwk" }).x !== x) return undefined;
  const issuerKeyId = Buffer.from(packet.getKeyID().toHex(), "hex");
  return (bytes, date) => {
    const created = Buffer.alloc(4);
    created.writeUInt32BE(Math.floor(date.getTime() / 1000));
    const salt = randomSalt(hash.salt);
    const notation = Buffer.concat([
      Buffer.from([0, 0, 0, 0]), // flags: not human-readable
      u16(SALT_NOTATION.length),
      u16(salt.length),
      SALT_NOTATION,
      salt,
    ]);
    const hashed = Buffer.concat([
      subpacket(CREATION_TIME | CRITICAL, created),
      subpacket(ISSUER_KEY_ID, issuerKeyId),
      subpacket(NOTATION, notation),
      subpacket(ISSUER_FINGERPRINT, Buffer.from([4, ...fingerprint])),
    ]);
    const signatureData = Buffer.concat([
      Buffer.from([4, enums.signature.binary, enums.publicKey.eddsaLegacy, hashAlgorithm]),
      u16(hashed.length),
      hashed,
    ]);
    const trailer = Buffer.concat([Buffer.from([4, 0xff]), u32(signatureData.length)]);
    const digest = createHash(hash.name)
      .update(bytes)
      .update(signatureData)
      .update(trailer)
      .digest();
    // EdDSA legacy signs the digest itself (openpgp.js, GnuPG).
    const rs = sign(null, digest, key);
    const body = Buffer.concat([
      signatureData,
      u16(0), // no unhashed subpackets
      digest.subarray(0, 2),
      mpi(rs.subarray(0, 32)),
      mpi(rs.subarray(32)),
    ]);
    return Buffer.concat([Buffer.from([0xc0 | enums.packet.signature]), length(body.length), body]);
  };
}

// Salts are cut from one larger draw: a call to the CSPRNG costs more than the bytes.
let salts = Buffer.alloc(0);
let saltsUsed = 0;

/** `n` fresh random octets (each handed out once; a salt is public in the packet). */
function randomSalt(n: number): Buffer {
  if (saltsUsed + n > salts.length) {
    salts = randomBytes(4096);
    saltsUsed = 0;
  }
  saltsUsed += n;
  return salts.subarray(saltsUsed - n, saltsUsed);
}

function subpacket(type: number, data: Uint8Array): Buffer {
  return Buffer.concat([length(data.length + 1), Buffer.from([type]), data]);
}

/** An OpenPGP new-format length (one, two or five octets). */
function length(n: number): Buffer {
  if (n < 192) return Buffer.from([n]);
  if (n < 8384) return Buffer.from([((n - 192) >> 8) + 192, (n - 192) & 0xff]);
  return Buffer.concat([Buffer.from([0xff]), u32(n)]);
}

/** A multiprecision integer: its bit count, then its octets without leading zeros. */
function mpi(bytes: Uint8Array): Buffer {
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  const value = bytes.subarray(start);
  const bits = value.length === 0 ? 0 : (value.length - 1) * 8 + (32 - Math.clz32(value[0] ?? 0));
  return Buffer.concat([u16(bits), value]);
}

const u16 = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff]);
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
