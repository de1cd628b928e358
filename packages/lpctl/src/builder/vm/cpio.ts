import { createReadStream } from "node:fs";
import { LpctlError } from "../../core/errors.js";

/**
 * One member of a newc ("070701") cpio archive, the format the kernel unpacks
 * an initramfs from. File data comes from a host path (streamed, so a 100 MB
 * node binary never sits in memory) or from bytes in memory.
 */
export type CpioEntry =
  | { kind: "dir"; name: string; mode: number }
  | { kind: "file"; name: string; mode: number; size: number; source: string }
  | { kind: "bytes"; name: string; mode: number; data: Uint8Array }
  | { kind: "symlink"; name: string; target: string }
  | { kind: "chardev"; name: string; mode: number; major: number; minor: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;
const TRAILER = "TRAILER!!!";

function hex8(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new LpctlError(
      "VM_INPUT_INVALID",
      `initramfs member field ${n} does not fit the cpio format (files up to 4 GiB); leave that file out of the VM`,
    );
  }
  return n.toString(16).padStart(8, "0");
}

function pad4(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

interface HeaderFields {
  ino: number;
  mode: number;
  nlink: number;
  size: number;
  rdevMajor?: number;
  rdevMinor?: number;
}

/**
 * Header + NUL-terminated name + padding. uid/gid/mtime are fixed at 0 so the
 * same inputs always give byte-identical archives (reproducible VM tests).
 */
export function cpioHeader(name: string, f: HeaderFields): Buffer {
  const nameBytes = Buffer.from(name + "\0", "utf8");
  const fields = [
    f.ino,
    f.mode,
    0, // uid: root
    0, // gid: root
    f.nlink,
    0, // mtime
    f.size,
    0, // devmajor
    0, // devminor
    f.rdevMajor ?? 0,
    f.rdevMinor ?? 0,
    nameBytes.length,
    0, // check: only used by the "070702" crc variant
  ];
  const head = Buffer.from("070701" + fields.map(hex8).join(""), "ascii");
  return Buffer.concat([head, nameBytes, pad4(head.length + nameBytes.length)]);
}

function checkName(name: string): void {
  // The kernel resolves names relative to the rootfs; "." and ".." segments or
  // absolute names would make the layout depend on unpacking order.
  if (
    name === "" ||
    name.startsWith("/") ||
    name.split("/").some((s) => s === ".." || s === "." || s === "")
  ) {
    throw new LpctlError(
      "VM_INPUT_INVALID",
      `initramfs member name ${JSON.stringify(name)} is not a clean relative path; drop '.', '..' and empty segments`,
      { details: { name } },
    );
  }
}

/** Streams the archive as chunks: headers, file data and padding, then the trailer. */
export async function* cpioChunks(entries: Iterable<CpioEntry>): AsyncGenerator<Buffer> {
  let ino = 1;
  for (const e of entries) {
    checkName(e.name);
    const id = ino++;
    switch (e.kind) {
      case "dir":
        yield cpioHeader(e.name, { ino: id, mode: S_IFDIR | (e.mode & 0o7777), nlink: 2, size: 0 });
        break;
      case "symlink": {
        const data = Buffer.from(e.target, "utf8");
        yield cpioHeader(e.name, { ino: id, mode: S_IFLNK | 0o777, nlink: 1, size: data.length });
        yield Buffer.concat([data, pad4(data.length)]);
        break;
      }
      case "chardev":
        yield cpioHeader(e.name, {
          ino: id,
          mode: S_IFCHR | (e.mode & 0o7777),
          nlink: 1,
          size: 0,
          rdevMajor: e.major,
          rdevMinor: e.minor,
        });
        break;
      case "bytes":
        yield cpioHeader(e.name, {
          ino: id,
          mode: S_IFREG | (e.mode & 0o7777),
          nlink: 1,
          size: e.data.length,
        });
        yield Buffer.concat([Buffer.from(e.data), pad4(e.data.length)]);
        break;
      case "file": {
        yield cpioHeader(e.name, {
          ino: id,
          mode: S_IFREG | (e.mode & 0o7777),
          nlink: 1,
          size: e.size,
        });
        let written = 0;
        for await (const chunk of createReadStream(e.source)) {
          const buf = chunk as Buffer;
          written += buf.length;
          if (written > e.size) break;
          yield buf;
        }
        // The header already promised e.size bytes; a file that changed size
        // since it was stat'ed would corrupt every later member.
        if (written !== e.size) {
          throw new LpctlError(
            "IO_FAILED",
            `${e.source} changed size while being archived (${e.size} → ${written} bytes); make sure nothing writes it during vm-test and retry`,
            { details: { file: e.source } },
          );
        }
        yield pad4(e.size);
        break;
      }
    }
  }
  yield cpioHeader(TRAILER, { ino: 0, mode: 0, nlink: 1, size: 0 });
}
