/**
 * imageBuildId on the real images in the kernel cache: the lab kernel (gzip,
 * decoded in-process) and Debian's signed cloud vmlinuz (LZ4 legacy, decoded
 * in-process), each against the build-id the builder recorded; and gzip,
 * zstd, xz (through the xz command) and LZ4 images made here the way kbuild
 * lays them out.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { imageBuildId } from "../../../src/agent/image-build-id.js";
import { vmlinuzIdentity } from "../../../src/builder/distro/vmlinuz.js";
import { execaRunner } from "../../../src/builder/runtime/runner.js";
import { isLpctlError } from "../../../src/core/errors.js";
import { cachedKernel } from "../../helpers/cached-kernel.js";
import { fakeBzImage, fakeVmlinux } from "@livepatch-gitops/test-support/fake-kernel-image";

describe("imageBuildId on cached kernels", () => {
  it.each([
    ["debian-6.1-lab", "gzip"],
    ["debian-12-cloud-amd64", "lz4"],
  ])(
    "%s (%s) gives the build-id the builder recorded",
    async (target) => {
      const k = await cachedKernel(target);
      const t0 = performance.now();
      expect(await imageBuildId(k.bzImage)).toBe(k.buildId);
      process.stderr.write(
        `[image-build-id] ${target}: ${Math.round(performance.now() - t0)} ms\n`,
      );
    },
    600_000,
  );

  it("the builder's vmlinuzIdentity reads the same build-id from Debian's image", async () => {
    const k = await cachedKernel("debian-12-cloud-amd64");
    const scratch = await mkdtemp(path.join(os.tmpdir(), "lpctl-image-"));
    const id = await vmlinuzIdentity(execaRunner, k.bzImage, "lz4", scratch);
    expect(id.buildId).toBe(k.buildId);
    expect(id.banner).toMatch(/^Linux version 6\.1\.0-57-cloud-amd64 /);
  }, 600_000);
});

describe("imageBuildId on kbuild-shaped images", () => {
  const id = "0123456789abcdef0123456789abcdef01234567";
  const vmlinux = fakeVmlinux(id);
  // kbuild: gzip has its own size trailer; the others get the 4-byte size appended.
  const size = Buffer.alloc(4);
  size.writeUInt32LE(vmlinux.byteLength);
  const formats: Record<string, Buffer> = {
    gzip: execFileSync("gzip", ["-c", "-n", "-9"], { input: vmlinux }),
    zstd: Buffer.concat([execFileSync("zstd", ["-c", "-q", "-19"], { input: vmlinux }), size]),
    xz: Buffer.concat([execFileSync("xz", ["-c", "--check=crc32"], { input: vmlinux }), size]),
    lz4: Buffer.concat([execFileSync("lz4", ["-c", "-l", "-9"], { input: vmlinux }), size]),
  };
  it.each(Object.keys(formats))("%s", async (format) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-image-"));
    const file = path.join(dir, "vmlinuz");
    await writeFile(file, fakeBzImage(formats[format] ?? Buffer.alloc(0)));
    expect(await imageBuildId(file)).toBe(id);
  });

  it("names the xz command's own error when it cannot decompress", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-image-"));
    const file = path.join(dir, "vmlinuz-bad-xz");
    // xz's magic, then bytes that are no xz stream.
    const bad = Buffer.concat([
      Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]),
      Buffer.alloc(64, 7),
    ]);
    await writeFile(file, fakeBzImage(bad));
    const err = await imageBuildId(file).catch((e: unknown) => e);
    expect(isLpctlError(err, "KERNEL_IDENTITY")).toBe(true);
    expect((err as Error).message).toMatch(
      new RegExp(`^cannot decompress ${file} with 'xz -dc': xz: \\(stdin\\): .+`),
    );
  });

  it("says which package to install when the xz command is missing", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-image-"));
    const file = path.join(dir, "vmlinuz");
    await writeFile(file, fakeBzImage(formats.xz ?? Buffer.alloc(0)));
    const saved = process.env.PATH;
    process.env.PATH = dir; // holds no xz
    const err = await imageBuildId(file)
      .catch((e: unknown) => e)
      .finally(() => {
        process.env.PATH = saved;
      });
    expect(isLpctlError(err, "KERNEL_IDENTITY")).toBe(true);
    expect((err as Error).message).toBe(
      `cannot decompress ${file} with 'xz -dc': no xz command; install xz-utils`,
    );
  });

  it("refuses a file that is not a kernel image, naming it", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lpctl-image-"));
    const file = path.join(dir, "vmlinuz-junk");
    await writeFile(file, Buffer.alloc(4096, 7));
    const err = await imageBuildId(file).catch((e: unknown) => e);
    expect(isLpctlError(err, "KERNEL_IDENTITY")).toBe(true);
    expect((err as Error).message).toContain(`${file} is not a readable x86 kernel image`);
  });
});
