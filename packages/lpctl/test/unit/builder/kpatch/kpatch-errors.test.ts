import { describe, expect, it } from "vitest";
import { failedPatchFile, matchKpatchRule } from "../../../../src/builder/kpatch/kpatch-errors.js";

describe("matchKpatchRule maps kpatch-build refusals to lint rules", () => {
  const cases: [string, string][] = [
    ["version.o: changed section .init.text not selected for inclusion", "init-code"],
    // what the linter calls a changed initial value (not a struct layout change)
    ["ERROR: foo.o: data section .data.bar selected for inclusion", "static-initializer-change"],
    [
      "foo.o: changed section .data.vm_swappiness not selected for inclusion",
      "static-initializer-change",
    ],
    [
      "ERROR: foo.o: reference to static local variable count.1 in bar was removed",
      "static-local-removed",
    ],
    ["ERROR: unsupported patch to lib/: lib/string.c", "unsupported-path"],
    ["ERROR: unsupported patch to assembly: arch/x86/entry/entry_64.S", "unsupported-path"],
    ["ERROR: foo.o: Found a jump label at bar()+0x10, using key baz", "jump-label-or-static-call"],
    ["ERROR: foo.o: Found a static call at bar()+0x10", "jump-label-or-static-call"],
    [
      "ERROR: foo.o: changed section .data..read_mostly not selected for inclusion",
      "static-initializer-change",
    ],
    ["foo.o: data section .data.once selected for inclusion", "once-macro"],
    ["sys.o: function __do_sys_umask doesn't have patchable function entry", "syscall-define"],
    ["ERROR: foo.o: function bar doesn't have patchable function entry", "inline-function-change"],
    // A Kconfig/Makefile change (packages/lpctl/test/fixtures/kpatch-logs/lint/not-code-kbuild.log).
    [
      "cp: cannot stat '/cache/kernels/lab/tree//tmp/tmp.5rfdISM3wz.o': No such file or directory",
      "unsupported-path",
    ],
  ];
  it.each(cases)("%s → %s", (line, rule) => {
    const m = matchKpatchRule([line]);
    expect(m?.rule).toBe(rule);
    expect(m?.warning).toBe(false);
  });

  it("a once macro's static on .data..read_mostly (older kernels) is once-macro, by its name", () => {
    const m = matchKpatchRule([
      "vmx.o: WARNING: unable to correlate static local variable __print_once.60588 used by vmx_update_pi_irte, assuming variable is new",
      "vmx.o: data section .data..read_mostly selected for inclusion",
    ]);
    expect(m).toMatchObject({ rule: "once-macro", warning: false });
  });

  it("does not take any '_once' for a once macro", () => {
    const m = matchKpatchRule([
      "ERROR: foo.o: function run_once_more doesn't have patchable function entry, unable to patch",
    ]);
    expect(m?.rule).toBe("inline-function-change");
    expect(
      matchKpatchRule(["ERROR: do_once_work.o: 1 unsupported section change(s)"]),
    ).toBeUndefined();
  });

  it("reports Version disagreement as the include-added warning", () => {
    expect(matchKpatchRule(["ERROR: Version disagreement for symbol x"])).toMatchObject({
      rule: "include-added",
      warning: true,
    });
  });

  it("prefers a fatal rule over a warning seen earlier", () => {
    const m = matchKpatchRule([
      "ERROR: Version disagreement for symbol x",
      "version.o: changed section .init.text not selected for inclusion",
    ]);
    expect(m?.rule).toBe("init-code");
  });

  it("knows nothing about unrelated errors", () => {
    expect(matchKpatchRule(["ERROR: no changed objects found"])).toBeUndefined();
  });
});

describe("failedPatchFile", () => {
  it("finds the patch kpatch-build could not apply", () => {
    expect(
      failedPatchFile([
        "Testing patch file(s)",
        "ERROR: /tmp/x/001-a-0001.patch file failed to apply. Check",
      ]),
    ).toBe("/tmp/x/001-a-0001.patch");
  });
});
