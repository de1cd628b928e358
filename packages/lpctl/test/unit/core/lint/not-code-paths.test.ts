import { describe, expect, it } from "vitest";
import { lintPatch } from "../../../../src/core/lint/lint.js";

/** A one-hunk change of line 2 of `file`. */
function change(file: string): string {
  return [`--- a/${file}`, `+++ b/${file}`, "@@ -1,3 +1,3 @@", " a", "-b", "+c", " d", ""].join(
    "\n",
  );
}

const verdict = (file: string) => {
  const fs = lintPatch("t.patch", change(file));
  return fs.map((f) => `${f.severity} ${f.rule} ${f.message.split(":")[0]}`);
};

describe("unsupported-path: files that are not code a live patch can carry", () => {
  it("refuses Kconfig, Makefile/Kbuild, linker scripts and generated files", () => {
    expect(verdict("fs/proc/Kconfig")).toEqual(["error unsupported-path Kconfig change"]);
    expect(verdict("arch/x86/Kconfig.debug")).toEqual(["error unsupported-path Kconfig change"]);
    expect(verdict("fs/proc/Makefile")).toEqual(["error unsupported-path build rule change"]);
    expect(verdict("arch/x86/Kbuild")).toEqual(["error unsupported-path build rule change"]);
    expect(verdict("scripts/Makefile.build")).toEqual(["error unsupported-path build rule change"]);
    expect(verdict("arch/x86/kernel/vmlinux.lds.S")).toEqual([
      "error unsupported-path linker script change",
    ]);
    expect(verdict("include/generated/autoconf.h")).toContain(
      "error unsupported-path generated file",
    );
    expect(verdict("include/generated/utsrelease.h")).toContain(
      "error unsupported-path generated file",
    );
    expect(verdict("fs/proc/proc.mod.c")).toEqual(["error unsupported-path generated file"]);
  });

  it("warns for documentation and other non-C files", () => {
    expect(verdict("Documentation/filesystems/proc.rst")).toEqual([
      "warning unsupported-path not C code",
    ]);
    expect(verdict("scripts/checkpatch.pl")).toEqual(["warning unsupported-path not C code"]);
  });

  it("keeps the existing reasons and passes C sources, headers and a C file named like a rule", () => {
    expect(verdict("arch/x86/lib/clear_page_64.S")[0]).toMatch(
      /^error unsupported-path kpatch-build refuses assembly/,
    );
    expect(verdict("kernel/Makefile_helpers.c")).toEqual([]);
    expect(verdict("fs/proc/cmdline.c")).toEqual([]);
  });
});
