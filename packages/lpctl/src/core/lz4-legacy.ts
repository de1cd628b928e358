/**
 * LZ4's legacy frame, the format Linux uses for LZ4-compressed kernels
 * (`lz4 -l`, Debian 12's images): a magic word, then blocks, each a 4-byte
 * little-endian compressed length and an LZ4 block of at most 8 MiB
 * decompressed. Decoded in-process so a host needs no lz4 command to read
 * the build-id of an installed kernel.
 */
import { LpctlError } from "./errors.js";

export const LZ4_LEGACY_MAGIC = 0x184c2102;
const MAX_BLOCK = 8 << 20;

function corrupt(why: string): LpctlError {
  return new LpctlError("KERNEL_IDENTITY", `corrupt LZ4 kernel payload: ${why}`);
}

/** Decodes one LZ4 block `src` into `out` at `op`; returns the new output offset. */
function decodeBlock(src: Uint8Array, out: Uint8Array, op: number): number {
  let ip = 0;
  const end = src.byteLength;
  const length = (n: number): number => {
    if (n !== 15) return n;
    let b;
    do {
      if (ip >= end) throw corrupt("length runs past the block");
      b = src[ip++] ?? 0;
      n += b;
    } while (b === 255);
    return n;
  };
  while (ip < end) {
    const token = src[ip++] ?? 0;
    const lit = length(token >> 4);
    if (ip + lit > end || op + lit > out.byteLength) throw corrupt("literals past the end");
    out.set(src.subarray(ip, ip + lit), op);
    ip += lit;
    op += lit;
    // The last sequence of a block is literals only.
    if (ip >= end) break;
    if (ip + 2 > end) throw corrupt("match offset past the block");
    const offset = (src[ip] ?? 0) | ((src[ip + 1] ?? 0) << 8);
    ip += 2;
    const len = length(token & 15) + 4;
    if (offset === 0 || offset > op || op + len > out.byteLength) throw corrupt("bad match");
    if (offset >= len) {
      out.copyWithin(op, op - offset, op - offset + len);
      op += len;
    } else {
      // Overlapping match: a run repeating the last `offset` bytes.
      for (let k = 0; k < len; k++, op++) out[op] = out[op - offset] ?? 0;
    }
  }
  return op;
}

/**
 * Decompresses a legacy-frame stream. Stops at its end, at a length word
 * that cannot be a block (the size kbuild appends to a kernel payload), or
 * at a following frame's magic.
 */
export function lz4LegacyDecompress(input: Uint8Array): Uint8Array {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  if (input.byteLength < 4 || view.getUint32(0, true) !== LZ4_LEGACY_MAGIC) {
    throw corrupt("no legacy LZ4 magic");
  }
  const blocks: Uint8Array[] = [];
  let at = 4;
  while (at + 4 <= input.byteLength) {
    const size = view.getUint32(at, true);
    if (size === LZ4_LEGACY_MAGIC || size === 0 || at + 4 + size > input.byteLength) break;
    blocks.push(input.subarray(at + 4, at + 4 + size));
    at += 4 + size;
  }
  if (blocks.length === 0) throw corrupt("no block");
  const out = new Uint8Array(blocks.length * MAX_BLOCK);
  let op = 0;
  for (const b of blocks) op = decodeBlock(b, out, op);
  return out.subarray(0, op);
}
