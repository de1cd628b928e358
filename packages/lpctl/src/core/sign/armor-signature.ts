/**
 * ASCII armor for a binary signature packet, as openpgp.js writes it for v4
 * signatures (RFC 4880 §6.2): no armor headers, 60-column base64, the CRC-24
 * checksum line (GnuPG needs it when the base64 ends without padding).
 * openpgp.js's armor() streams through transforms; a release armors
 * thousands of signatures.
 */

/** The armored form of the signature packet `packet`. */
export function armorSignature(packet: Uint8Array): string {
  const base64 = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength).toString(
    "base64",
  );
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 60) lines.push(base64.slice(i, i + 60));
  const crc = crc24(packet);
  const checksum = Buffer.from([crc >> 16, (crc >> 8) & 0xff, crc & 0xff]).toString("base64");
  return `-----BEGIN PGP SIGNATURE-----\n\n${lines.join("\n")}\n=${checksum}\n-----END PGP SIGNATURE-----\n`;
}

/** RFC 4880 §6.1. */
function crc24(bytes: Uint8Array): number {
  let crc = 0xb704ce;
  for (const byte of bytes) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}
