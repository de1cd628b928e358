/**
 * Reads a detached `.asc`: one or more armored signature blocks (several
 * signers' blocks concatenated, for a threshold), or binary packets.
 */
import {
  PacketList,
  readSignature as pgpReadSignature,
  Signature,
  type SignaturePacket,
} from "openpgp";
import { LpctlError } from "../errors.js";

/** A signature file larger than this is not a detached signature (DoS cap). */
export const SIGNATURE_MAX_BYTES = 256 * 1024;
/** At most this many signature packets are checked. */
export const SIGNATURE_MAX_PACKETS = 32;

const BLOCK = /-----BEGIN PGP SIGNATURE-----[\s\S]*?-----END PGP SIGNATURE-----/g;
const latin1 = new TextDecoder("latin1");

/** All signature packets in `sig`; SIGNATURE_MISSING when empty, SIGNATURE_INVALID when unreadable. */
export async function readDetachedSignature(sig: Uint8Array | string): Promise<Signature> {
  const bytes = typeof sig === "string" ? new TextEncoder().encode(sig) : sig;
  const text = typeof sig === "string" ? sig : latin1.decode(sig);
  if (text.trim() === "") {
    throw new LpctlError("SIGNATURE_MISSING", "the signature file is empty; fetch the .asc again");
  }
  if (bytes.length > SIGNATURE_MAX_BYTES) {
    throw new LpctlError(
      "SIGNATURE_INVALID",
      `the signature file is ${bytes.length} bytes, more than ${SIGNATURE_MAX_BYTES}: not a detached signature`,
    );
  }
  const packets = new PacketList<SignaturePacket>();
  try {
    const blocks = text.match(BLOCK);
    const parsed = blocks
      ? await Promise.all(blocks.map((armoredSignature) => pgpReadSignature({ armoredSignature })))
      : [await pgpReadSignature({ binarySignature: bytes })];
    for (const s of parsed) packets.push(...s.packets);
  } catch (e) {
    throw new LpctlError(
      "SIGNATURE_INVALID",
      `the signature file is not a readable OpenPGP signature (${String(e)})`,
      { cause: e },
    );
  }
  if (packets.length === 0) {
    throw new LpctlError("SIGNATURE_MISSING", "the signature file holds no signature");
  }
  if (packets.length > SIGNATURE_MAX_PACKETS) {
    throw new LpctlError(
      "SIGNATURE_INVALID",
      `the signature file holds ${packets.length} signatures, more than ${SIGNATURE_MAX_PACKETS}`,
    );
  }
  return new Signature(packets);
}
