/**
 * The pure parts of reading a kernel image: the bzImage header, the LZ4
 * legacy decoder and the ELF note reader, on malformed input (the formats
 * themselves are checked against the real compressors and real kernels in
 * packages/lpctl/test/integration/agent/image-build-id.test.ts).
 */
import { describe, expect, it } from "vitest";
import { elfBuildId } from "../../../src/core/elf-notes.js";
import { isLpctlError } from "../../../src/core/errors.js";
import { bzImagePayload } from "../../../src/core/kernel-image.js";
import { lz4LegacyDecompress } from "../../../src/core/lz4-legacy.js";
import { fakeBzImage, fakeVmlinux } from "@livepatch-gitops/test-support/fake-kernel-image";

const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    expect(isLpctlError(e, "KERNEL_IDENTITY")).toBe(true);
    return e as Error;
  }
  throw new Error("did not throw");
};

describe("bzImagePayload", () => {
  const gz = Buffer.from([0x1f, 0x8b, 0x08, 0, 1, 2, 3, 4]);

  it("finds the payload the header points at and tells its compression", () => {
    const r = bzImagePayload(fakeBzImage(gz), "vmlinuz");
    expect(r.compression).toBe("gzip");
    expect(Buffer.from(r.payload)).toEqual(gz);
  });

  it("refuses what is not a bzImage, a payload past the end, an unknown compression", () => {
    expect(thrown(() => bzImagePayload(Buffer.alloc(4096), "f")).message).toContain(
      "no 'HdrS' setup header",
    );
    const img = fakeBzImage(gz);
    img.writeUInt32LE(1 << 30, 0x24c);
    expect(thrown(() => bzImagePayload(img, "f")).message).toMatch(/outside the \d+-byte file/);
    expect(thrown(() => bzImagePayload(fakeBzImage(Buffer.from("BZh91AY")), "f")).message).toMatch(
      /payload starts with 425a68393141, none of gzip, xz, lz4, zstd/,
    );
  });
});

describe("lz4LegacyDecompress", () => {
  it("refuses a stream without the magic and a block whose match points before the output", () => {
    expect(thrown(() => lz4LegacyDecompress(Buffer.from("nope"))).message).toContain(
      "no legacy LZ4 magic",
    );
    // One block: token 0x04 (no literals, match length 8) with offset 5 and nothing before it.
    const bad = Buffer.from([0x02, 0x21, 0x4c, 0x18, 3, 0, 0, 0, 0x04, 5, 0]);
    expect(thrown(() => lz4LegacyDecompress(bad)).message).toContain("bad match");
  });
});

describe("elfBuildId", () => {
  it("reads the PT_NOTE build-id; refuses a non-ELF and a 32-bit ELF", () => {
    const id = "00112233445566778899aabbccddeeff00112233";
    expect(elfBuildId(fakeVmlinux(id, 400), "vmlinux")).toBe(id);
    expect(thrown(() => elfBuildId(Buffer.alloc(128), "x")).message).toContain("no ELF header");
    const elf32 = fakeVmlinux(id, 400);
    elf32[4] = 1;
    expect(thrown(() => elfBuildId(elf32, "x")).message).toContain("ELF class 1");
  });
});
