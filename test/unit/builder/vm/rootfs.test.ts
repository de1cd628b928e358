import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { moduleNameFromFile } from "../../../../src/builder/vm/module-name.js";
import { defaultAccel, qemuArgs } from "../../../../src/builder/vm/qemu.js";
import { parseLdd } from "../../../../src/builder/vm/rootfs.js";

describe("parseLdd", () => {
  it("lists the libraries and the loader of the real node binary, not the vDSO", () => {
    const text = readFileSync(
      join(import.meta.dirname, "../../../fixtures/vm/ldd-node.txt"),
      "utf8",
    );
    const libs = parseLdd(text);
    expect(libs).toContain("/lib/x86_64-linux-gnu/libc.so.6");
    expect(libs).toContain("/lib64/ld-linux-x86-64.so.2");
    expect(libs.some((l) => l.includes("vdso"))).toBe(false);
  });
});

describe("qemuArgs", () => {
  const o = {
    bzImage: "/k/bzImage",
    initrd: "/k/i.gz",
    memoryMb: 256,
    timeoutMs: 1000,
    append: "lp=1",
  };

  it("never attaches a network device", () => {
    for (const accel of ["kvm", "tcg"] as const) {
      const args = qemuArgs(o, accel);
      expect(args.join(" ")).toContain("-nic none");
      expect(args.some((a) => /netdev|virtio-net|e1000|user,/.test(a))).toBe(false);
    }
  });

  it("uses the host CPU only with kvm, and the fixed console/panic command line", () => {
    expect(qemuArgs(o, "kvm").slice(0, 3)).toEqual(["-enable-kvm", "-cpu", "host"]);
    expect(qemuArgs(o, "tcg")).not.toContain("-enable-kvm");
    expect(qemuArgs(o, "tcg")).toContain("console=ttyS0 panic=-1 quiet lp=1");
  });
});

describe("moduleNameFromFile", () => {
  it("maps the file name to the kernel's module name", () => {
    expect(moduleNameFromFile("/out/livepatch-cmdline-banner.ko")).toBe("livepatch_cmdline_banner");
  });
});

describe("defaultAccel", () => {
  it("honours LPCTL_VM_ACCEL", async () => {
    expect(await defaultAccel({ LPCTL_VM_ACCEL: "tcg" })).toBe("tcg");
    expect(await defaultAccel({ LPCTL_VM_ACCEL: "kvm" })).toBe("kvm");
  });
});
