import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { moduleNameFromFile } from "../../../../src/builder/vm/kernel-module-name.js";
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

describe("qemuArgs with a guest forward", () => {
  const base = { bzImage: "/k", initrd: "/i", memoryMb: 512, timeoutMs: 1000 };
  it("has no network device unless asked", () => {
    const args = qemuArgs(base, "tcg");
    expect(args.join(" ")).toContain("-nic none");
    expect(args).not.toContain("-netdev");
  });

  it("gives one restricted user network with a single guestfwd to the loopback port", () => {
    const args = qemuArgs(
      { ...base, forward: { guestAddr: "10.0.2.100", guestPort: 80, hostPort: 8123 } },
      "tcg",
    );
    expect(args).not.toContain("-nic");
    const netdev = args[args.indexOf("-netdev") + 1] ?? "";
    // One relay process per guest connection, to that one loopback port (commas doubled for qemu).
    expect(netdev).toMatch(/^user,id=net0,restrict=on,guestfwd=tcp:10\.0\.2\.100:80-cmd:\S+ -e '/);
    expect(netdev).toContain('connect(8123,, "127.0.0.1")');
    expect(netdev.replaceAll(",,", "")).not.toMatch(/,(?!guestfwd|restrict|id)/);
    expect(args[args.indexOf("-device") + 1]).toBe("virtio-net-pci,netdev=net0,romfile=");
  });

  it("refuses a port or address that is not what it claims", () => {
    const fwd = { guestAddr: "10.0.2.100", guestPort: 80, hostPort: 8123 };
    expect(() => qemuArgs({ ...base, forward: { ...fwd, hostPort: 0 } }, "tcg")).toThrow(
      /not a TCP port/,
    );
    expect(() => qemuArgs({ ...base, forward: { ...fwd, guestAddr: "8.8.8.8" } }, "tcg")).toThrow(
      /10\.0\.2\.0\/24/,
    );
    expect(() =>
      qemuArgs(
        { ...base, forward: { ...fwd, guestAddr: "10.0.2.100,hostfwd=tcp::22-:22" } },
        "tcg",
      ),
    ).toThrow(/10\.0\.2\.0\/24/);
  });
});
