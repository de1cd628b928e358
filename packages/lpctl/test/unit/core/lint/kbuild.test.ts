import { describe, expect, it } from "vitest";
import { configValues, dirHome, objectHome, untracedBy } from "../../../../src/core/lint/kbuild.js";
import { kernelVersion, systemMapSymbols } from "../../../../src/core/lint/source-facts.js";

const config = configValues('CONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\nCONFIG_S="x"\n');

describe("where kbuild puts an object", () => {
  it.each([
    ["obj-y += a.o\n", "vmlinux"],
    ["obj-$(CONFIG_A) += a.o\n", "vmlinux"],
    ["obj-$(CONFIG_B) += a.o\n", "module"],
    ["obj-$(CONFIG_C) += a.o\n", "not-built"],
    ["obj-y += other.o \\\n\tb.o a.o\n", "vmlinux"],
    ["proc-y := x.o a.o\nobj-$(CONFIG_A) += proc.o\n", "vmlinux"],
    ["proc-objs := a.o\nobj-$(CONFIG_B) += proc.o\n", "module"],
    ["CFLAGS_a.o := -O2\n", "not-built"],
    // fs/proc: the no-MMU list is replaced when CONFIG_MMU (here A) is set, kept when not (C).
    ["proc-y := a.o n.o\nproc-$(CONFIG_A) := m.o\nobj-y += proc.o\n", "not-built"],
    ["proc-y := a.o n.o\nproc-$(CONFIG_C) := m.o\nobj-y += proc.o\n", "vmlinux"],
    ["proc-y := x.o\nproc-y += a.o\nobj-y += proc.o\n", "vmlinux"],
  ])("%j -> %s", (makefile, home) => {
    expect(objectHome("a.o", makefile, config)).toBe(home);
  });

  it("reads the kernel version and System.map symbols without suffixes", () => {
    expect(kernelVersion("VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 192\n")).toEqual({
      major: 6,
      minor: 1,
    });
    expect(kernelVersion("nothing")).toBeUndefined();
    const syms = systemMapSymbols("ffffffff81000000 T _stext\nffffffff81001000 t foo.isra.0\n");
    expect([...syms]).toEqual(["_stext", "foo"]);
  });

  it.each([
    ["obj-y += events/\n", "vmlinux"],
    ["obj-$(CONFIG_A) += events/ other/\n", "vmlinux"],
    ["obj-$(CONFIG_B) += events/\n", "module"],
    ["obj-$(CONFIG_C) += events/\n", "not-built"],
    ["obj-$(CONFIG_C) += events/\nobj-$(CONFIG_A) += events/\n", "vmlinux"],
    ["obj-y += eventsx/ events.o\n", "unknown"],
    ["core-y += events/\n", "unknown"],
  ])("a parent Makefile %j descends into events/ for %s", (makefile, home) => {
    expect(dirHome("events/", makefile, config)).toBe(home);
  });

  it.each([
    ["CFLAGS_REMOVE_a.o = -pg\n", "CFLAGS_REMOVE_a.o = -pg"],
    ["CFLAGS_REMOVE_a.o = $(CC_FLAGS_FTRACE)\n", "CFLAGS_REMOVE_a.o = $(CC_FLAGS_FTRACE)"],
    [
      "ccflags-remove-$(CONFIG_A) += $(CC_FLAGS_FTRACE)\n",
      "ccflags-remove-$(CONFIG_A) += $(CC_FLAGS_FTRACE)",
    ],
    ["ccflags-remove-$(CONFIG_C) += $(CC_FLAGS_FTRACE)\n", undefined],
    ["CFLAGS_REMOVE_b.o = -pg\n", undefined],
    ["CFLAGS_REMOVE_a.o = -pgx -fstack-protector\n", undefined],
    ["CFLAGS_a.o = -pg\n", undefined],
  ])("%j builds a.o without fentry calls: %s", (makefile, line) => {
    expect(untracedBy("a.o", makefile, config)).toBe(line);
  });
});
