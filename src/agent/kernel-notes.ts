/**
 * ELF note records as the kernel exposes them in /sys/kernel/notes: a
 * sequence of {namesz, descsz, type} 4-byte little-endian words, the name
 * (NUL-terminated, padded to 4 bytes), then the descriptor (padded to 4).
 */
import { LpctlError } from "../core/errors.js";

export interface ElfNote {
  name: string;
  type: number;
  desc: Uint8Array;
}

const NT_GNU_BUILD_ID = 3;

const pad4 = (n: number): number => (n + 3) & ~3;

/** Parses every note record in `bytes`; throws KERNEL_IDENTITY on truncation. */
export function parseElfNotes(bytes: Uint8Array): ElfNote[] {
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
        `/sys/kernel/notes is truncated: note at offset ${off} needs ${end} bytes, have ${bytes.byteLength}`,
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

/** The GNU build-id (lowercase hex) in `notes`; KERNEL_IDENTITY when absent. */
export function gnuBuildId(bytes: Uint8Array): string {
  const note = parseElfNotes(bytes).find((n) => n.name === "GNU" && n.type === NT_GNU_BUILD_ID);
  if (note === undefined || note.desc.byteLength === 0) {
    throw new LpctlError(
      "KERNEL_IDENTITY",
      "no GNU build-id note in /sys/kernel/notes; the kernel was linked without --build-id",
    );
  }
  return Buffer.from(note.desc).toString("hex");
}
