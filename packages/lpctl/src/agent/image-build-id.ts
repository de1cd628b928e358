/**
 * The build-id of an installed (not running) kernel image, read the way a
 * host can without binutils: the payload the bzImage header points at,
 * decompressed in-process where Node can (gzip; Debian 12's LZ4 legacy
 * frames; zstd on Node ≥ 22.15) else by the `xz`/`zstd` command, then the
 * GNU build-id note of the vmlinux inside (packages/lpctl/src/core/elf-notes.ts).
 */
import { readFile } from "node:fs/promises";
import { elfBuildId } from "../core/elf-notes.js";
import { LpctlError } from "../core/errors.js";
import { bzImagePayload, type KernelCompression } from "../core/kernel-image.js";
import { lz4LegacyDecompress } from "../core/lz4-legacy.js";
import { runFile } from "./run-file.js";

/** The package that provides `cmd` on Debian, for the error message. */
const PACKAGES: Record<string, string> = { xz: "xz-utils", zstd: "zstd" };

async function decompressWith(
  cmd: string,
  payload: Uint8Array,
  where: string,
): Promise<Uint8Array> {
  // kbuild appends the decompressed size after the stream: the command may
  // exit non-zero on it after writing everything; the ELF check decides.
  const r = await runFile(cmd, ["-dc"], payload);
  if (r.stdout.byteLength === 0) {
    throw new LpctlError(
      "KERNEL_IDENTITY",
      `cannot decompress ${where} with '${cmd} -dc': ${r.failure?.errno === "ENOENT" ? `no ${cmd} command; install ${PACKAGES[cmd] ?? cmd}` : r.stderr.toString().trim()}`,
    );
  }
  return r.stdout;
}

type ZstdZlib = { zstdDecompressSync?: (b: Uint8Array) => Buffer };

async function decompress(c: KernelCompression, payload: Uint8Array, where: string) {
  // Loaded here: a sync whose images are known (prepared.json) never reads
  // one, and the boot unit never does.
  const { default: zlib } = await import("node:zlib");
  switch (c) {
    case "gzip":
      return zlib.gunzipSync(payload);
    case "lz4":
      return lz4LegacyDecompress(payload);
    case "zstd": {
      const zstd = (zlib as ZstdZlib).zstdDecompressSync;
      if (zstd === undefined) return decompressWith("zstd", payload, where);
      // The appended size is not a zstd frame: decode the frame alone.
      return zstd(payload.subarray(0, payload.byteLength - 4));
    }
    case "xz":
      return decompressWith("xz", payload, where);
  }
}

/** The GNU build-id of the kernel in the image `file` (an actual path). */
export async function imageBuildId(file: string): Promise<string> {
  const image = await readFile(file).catch((e: unknown) => {
    throw new LpctlError("KERNEL_IDENTITY", `cannot read ${file}: ${(e as Error).message}`, {
      cause: e,
    });
  });
  const { compression, payload } = bzImagePayload(image, file);
  const vmlinux = await decompress(compression, payload, file);
  const id = elfBuildId(vmlinux, `the vmlinux in ${file}`);
  if (id === undefined) {
    throw new LpctlError("KERNEL_IDENTITY", `the vmlinux in ${file} has no GNU build-id note`);
  }
  return id;
}
