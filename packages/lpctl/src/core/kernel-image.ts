/**
 * Where the compressed vmlinux sits in a kernel image (vmlinuz, bzImage) and
 * how it is compressed. The builder and the host agent both read a kernel's
 * build-id through this: find the payload, decompress it, read the ELF note.
 */
import { LpctlError } from "./errors.js";

/** Compressions a kernel payload comes in, by the magic bytes that start it. */
export const KERNEL_COMPRESSIONS = {
  gzip: [0x1f, 0x8b, 0x08],
  xz: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00],
  lz4: [0x02, 0x21, 0x4c, 0x18],
  zstd: [0x28, 0xb5, 0x2f, 0xfd],
} as const;

export type KernelCompression = keyof typeof KERNEL_COMPRESSIONS;

export const isKernelCompression = (c: string | undefined): c is KernelCompression =>
  c !== undefined && Object.hasOwn(KERNEL_COMPRESSIONS, c);

const startsWith = (b: Uint8Array, magic: readonly number[]): boolean =>
  magic.every((m, i) => b[i] === m);

/**
 * The payload as scripts/extract-vmlinux finds it: from the first occurrence
 * of `compression`'s magic to the end of the image (trailing data included;
 * decompressors stop at the end of their stream). Undefined when absent.
 */
export function payloadByMagic(
  image: Uint8Array,
  compression: KernelCompression,
): Uint8Array | undefined {
  const at = Buffer.from(image.buffer, image.byteOffset, image.byteLength).indexOf(
    Buffer.from(KERNEL_COMPRESSIONS[compression]),
  );
  return at < 0 ? undefined : image.subarray(at);
}

/**
 * The payload an x86 bzImage's setup header points at (boot protocol 2.08+:
 * payload_offset and payload_length, relative to the protected-mode code
 * after the setup sectors) and its compression, told by its magic bytes.
 * No guessing by searching: the header says where the kernel is.
 */
export function bzImagePayload(
  image: Uint8Array,
  where: string,
): { compression: KernelCompression; payload: Uint8Array } {
  const bad = (why: string) =>
    new LpctlError("KERNEL_IDENTITY", `${where} is not a readable x86 kernel image: ${why}`);
  if (image.byteLength < 0x250) throw bad("shorter than a setup header");
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (view.getUint32(0x202, true) !== 0x53726448) throw bad("no 'HdrS' setup header");
  const protocol = view.getUint16(0x206, true);
  if (protocol < 0x208) throw bad(`boot protocol ${protocol.toString(16)} has no payload fields`);
  const setupSects = image[0x1f1] || 4;
  const start = (setupSects + 1) * 512 + view.getUint32(0x248, true);
  const length = view.getUint32(0x24c, true);
  if (length === 0 || start + length > image.byteLength) {
    throw bad(`payload (${length} bytes at ${start}) outside the ${image.byteLength}-byte file`);
  }
  const payload = image.subarray(start, start + length);
  const compression = (Object.keys(KERNEL_COMPRESSIONS) as KernelCompression[]).find((c) =>
    startsWith(payload, KERNEL_COMPRESSIONS[c]),
  );
  if (compression === undefined) {
    const head = Buffer.from(payload.subarray(0, 6)).toString("hex");
    throw bad(
      `payload starts with ${head}, none of ${Object.keys(KERNEL_COMPRESSIONS).join(", ")}`,
    );
  }
  return { compression, payload };
}
