/**
 * decompressKernel with the real decompressors: a kernel image is a setup
 * header, the compressed vmlinux and trailing data (the rest of the
 * image, a signature); every format must give back the ELF whole.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { decompressKernel } from "../../../src/builder/distro/vmlinuz.js";
import { execaRunner } from "../../../src/builder/runtime/runner.js";

const dir = mkdtempSync(join(tmpdir(), "lpctl-vmlinuz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A stand-in vmlinux: an ELF (node's own binary head would do, but any
// recognisable bytes are enough for a byte-for-byte comparison).
const elf = Buffer.concat([
  Buffer.from([0x7f, 0x45, 0x4c, 0x46]),
  Buffer.from("Linux version 6.1.0-test (gcc-12) #1 SMP\n".repeat(2000)),
]);

const compressors: Record<string, string[]> = {
  gzip: ["gzip", "-c", "-n"],
  xz: ["xz", "-c", "--check=crc32"],
  lz4: ["lz4", "-c", "-l"],
  zstd: ["zstd", "-c", "-q"],
};

describe("decompressKernel", () => {
  for (const [format, [cmd, ...args]] of Object.entries(compressors)) {
    it(`reads a ${format} payload followed by trailing data`, async () => {
      const compressed = execFileSync(cmd, args, { input: elf });
      const image = Buffer.concat([
        Buffer.alloc(512, 0x11),
        compressed,
        Buffer.from("trailing setup code and a signature".repeat(64)),
      ]);
      const vmlinuz = join(dir, `vmlinuz-${format}`);
      writeFileSync(vmlinuz, image);
      const out = mkdtempSync(join(dir, `${format}-`));
      const payload = await decompressKernel(execaRunner, vmlinuz, format, out);
      expect(readFileSync(payload).equals(elf)).toBe(true);
    });
  }
});
