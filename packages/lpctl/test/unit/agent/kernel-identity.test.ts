import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { hostRoot } from "../../../src/agent/host-root.js";
import { readKernelIdentity } from "../../../src/agent/kernel-identity.js";
import { gnuBuildId, parseElfNotes } from "../../../src/core/elf-notes.js";
import { isLpctlError } from "../../../src/core/errors.js";
import { LAB_RELEASE, makeFakeRoot, NOTES_FIXTURE, removeRoot } from "./helpers/fake-host.js";

/** The build-id `readelf -n vmlinux` printed for the kernel the notes were captured from. */
async function readelfBuildId(): Promise<string> {
  const text = await readFile("packages/lpctl/test/fixtures/agent/readelf-n-vmlinux.txt", "utf8");
  return /Build ID: ([0-9a-f]+)/.exec(text)?.[1] ?? "";
}

function note(name: string, type: number, desc: Buffer): Buffer {
  const n = Buffer.from(`${name}\0`);
  const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  const head = Buffer.alloc(12);
  head.writeUInt32LE(n.length, 0);
  head.writeUInt32LE(desc.length, 4);
  head.writeUInt32LE(type, 8);
  return Buffer.concat([head, pad(n), pad(desc)]);
}

describe("kernel identity", () => {
  it("parses the real /sys/kernel/notes of the lab kernel like readelf -n vmlinux", async () => {
    const bytes = await readFile(NOTES_FIXTURE);
    expect(gnuBuildId(bytes)).toBe(await readelfBuildId());
    expect(parseElfNotes(bytes).map((n) => `${n.name}/${n.type}/${n.desc.length}`)).toEqual([
      "GNU/3/20",
      "Linux/257/4",
      "Linux/256/1",
    ]);
  });

  it("finds the GNU note after others and ignores non-GNU type 3", () => {
    const id = Buffer.from("00112233445566778899aabbccddeeff01234567", "hex");
    const bytes = Buffer.concat([note("Xen", 3, Buffer.from([1, 2, 3])), note("GNU", 3, id)]);
    expect(gnuBuildId(bytes)).toBe(id.toString("hex"));
  });

  it("refuses truncated notes and notes without a build-id", () => {
    const bytes = note("GNU", 3, Buffer.alloc(20, 7));
    const codeOf = (f: () => unknown) => {
      try {
        f();
        return "ok";
      } catch (e) {
        return isLpctlError(e) ? e.code : "other";
      }
    };
    expect(codeOf(() => gnuBuildId(bytes.subarray(0, bytes.length - 4)))).toBe("KERNEL_IDENTITY");
    expect(codeOf(() => gnuBuildId(note("Linux", 6, Buffer.alloc(4))))).toBe("KERNEL_IDENTITY");
    expect(codeOf(() => gnuBuildId(Buffer.alloc(0)))).toBe("KERNEL_IDENTITY");
  });

  let root = "";
  afterEach(async () => {
    if (root) await removeRoot(root);
  });

  it("reads release and build-id under the configured root", async () => {
    root = await makeFakeRoot([]);
    expect(await readKernelIdentity(hostRoot(root), "x86_64")).toEqual({
      release: LAB_RELEASE,
      buildId: await readelfBuildId(),
      arch: "x86_64",
    });
  });
});
