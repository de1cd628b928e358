/**
 * Kernel-shaped bytes for tests: a minimal ELF64 vmlinux whose only segment
 * is a PT_NOTE with a GNU build-id (plus filler that compresses), and an x86
 * bzImage setup header pointing at a payload.
 */

/** One NT_GNU_BUILD_ID note record, as /sys/kernel/notes and a PT_NOTE segment hold it. */
export function gnuBuildIdNote(id: string): Buffer {
  const desc = Buffer.from(id, "hex");
  const note = Buffer.alloc(16 + ((desc.length + 3) & ~3));
  note.writeUInt32LE(4, 0);
  note.writeUInt32LE(desc.length, 4);
  note.writeUInt32LE(3, 8);
  note.write("GNU\0", 12, "latin1");
  desc.copy(note, 16);
  return note;
}

/** An ELF64 LE file with one PT_NOTE segment holding the GNU build-id `id`. */
export function fakeVmlinux(id: string, filler = 200_000): Buffer {
  const note = gnuBuildIdNote(id);
  const head = Buffer.alloc(64 + 56);
  head.write("\x7fELF", 0, "latin1");
  head[4] = 2; // ELFCLASS64
  head[5] = 1; // little-endian
  head.writeBigUInt64LE(64n, 0x20); // e_phoff
  head.writeUInt16LE(56, 0x36); // e_phentsize
  head.writeUInt16LE(1, 0x38); // e_phnum
  head.writeUInt32LE(4, 64); // p_type PT_NOTE
  head.writeBigUInt64LE(BigInt(head.length), 64 + 8); // p_offset
  head.writeBigUInt64LE(BigInt(note.length), 64 + 32); // p_filesz
  const text = Buffer.from("Linux version 6.1.0-test (gcc-12) #1 SMP\n".repeat(filler / 40));
  return Buffer.concat([head, note, text]);
}

/** A bzImage: 4 setup sectors, the payload after them, then trailing data. */
export function fakeBzImage(payload: Uint8Array, trailing = 4096): Buffer {
  const setup = Buffer.alloc(5 * 512);
  setup[0x1f1] = 4;
  setup.writeUInt32LE(0x53726448, 0x202); // "HdrS"
  setup.writeUInt16LE(0x20f, 0x206);
  setup.writeUInt32LE(0x40, 0x248); // payload_offset, after some decompressor code
  setup.writeUInt32LE(payload.byteLength, 0x24c);
  return Buffer.concat([setup, Buffer.alloc(0x40, 0x90), payload, Buffer.alloc(trailing, 0xcc)]);
}
