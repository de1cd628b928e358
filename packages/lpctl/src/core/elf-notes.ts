/**
 * ELF note records: a sequence of {namesz, descsz, type} 4-byte
 * little-endian words, the name (NUL-terminated, padded to 4 bytes), then the
 * descriptor (padded to 4). The running kernel exposes its notes in
 * /sys/kernel/notes; an installed kernel's vmlinux carries the same records
 * in its PT_NOTE segment. Both are read here, so a host and the builder name
 * a kernel by one rule.
 */
import { LpctlError } from "./errors.js";

export interface ElfNote {
  name: string;
  type: number;
  desc: Uint8Array;
}

const NT_GNU_BUILD_ID = 3;
const PT_NOTE = 4;

const pad4 = (n: number): number => (n + 3) & ~3;

/** Parses every note record in `bytes` (from `where`); throws KERNEL_IDENTITY on truncation. */
export function parseElfNotes(bytes: Uint8Array, where = "/sys/kernel/notes"): ElfNote[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const notes: ElfNote[] = [];
  let off = 0;
  while (off + 12 <= bytes.byteLength) {
    const namesz = view.getUint32(off, true);
    const descsz = view.getUint32(off + 4, true);
    const type = view.getUint32(off + 8, true);
    const nameStart = off + 12;
    const descStart = nameStart + pad4(namesz);
    const end = descStart + pad4(descsz);
    if (end > bytes.byteLength || descStart + descsz > bytes.byteLength) {
      throw new LpctlError(
        "KERNEL_IDENTITY",
        `${where} is truncated: note at offset ${off} needs ${end} bytes, have ${bytes.byteLength}`,
      );
    }
    // namesz counts the terminating NUL.
    const rawName = bytes.subarray(nameStart, nameStart + namesz);
    const nul = rawName.indexOf(0);
    const name = Buffer.from(nul === -1 ? rawName : rawName.subarray(0, nul)).toString("latin1");
    notes.push({ name, type, desc: bytes.slice(descStart, descStart + descsz) });
    off = end;
  }
  return notes;
}

const buildIdIn = (notes: ElfNote[]): string | undefined => {
  const note = notes.find((n) => n.name === "GNU" && n.type === NT_GNU_BUILD_ID);
  return note === undefined || note.desc.byteLength === 0
    ? undefined
    : Buffer.from(note.desc).toString("hex");
};

/** The GNU build-id (lowercase hex) in `notes`; KERNEL_IDENTITY when absent. */
export function gnuBuildId(bytes: Uint8Array): string {
  const id = buildIdIn(parseElfNotes(bytes));
  if (id === undefined) {
    throw new LpctlError(
      "KERNEL_IDENTITY",
      "no GNU build-id note in /sys/kernel/notes; the kernel was linked without --build-id",
    );
  }
  return id;
}

/**
 * The GNU build-id of a 64-bit little-endian ELF file (a vmlinux), read from
 * its PT_NOTE segments; undefined when it has none. `where` names the file
 * in errors.
 */
export function elfBuildId(elf: Uint8Array, where: string): string | undefined {
  const bad = (why: string) =>
    new LpctlError("KERNEL_IDENTITY", `${where} is not a 64-bit little-endian ELF kernel: ${why}`);
  if (elf.byteLength < 64 || Buffer.from(elf.subarray(0, 4)).toString("latin1") !== "\x7fELF") {
    throw bad("no ELF header");
  }
  if (elf[4] !== 2 || elf[5] !== 1) throw bad(`ELF class ${elf[4]}, data ${elf[5]}`);
  const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const phoff = Number(view.getBigUint64(0x20, true));
  const phentsize = view.getUint16(0x36, true);
  const phnum = view.getUint16(0x38, true);
  if (phentsize < 56 || phoff + phnum * phentsize > elf.byteLength) {
    throw bad("program headers outside the file");
  }
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (view.getUint32(ph, true) !== PT_NOTE) continue;
    const offset = Number(view.getBigUint64(ph + 8, true));
    const size = Number(view.getBigUint64(ph + 32, true));
    if (offset + size > elf.byteLength) throw bad(`note segment ${i} outside the file`);
    const id = buildIdIn(parseElfNotes(elf.subarray(offset, offset + size), where));
    if (id !== undefined) return id;
  }
  return undefined;
}
