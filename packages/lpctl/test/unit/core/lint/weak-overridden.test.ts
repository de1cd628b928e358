import { describe, expect, it } from "vitest";
import { lintPatch } from "../../../../src/core/lint/lint.js";
import { definesStrong, weakDefinitions } from "../../../../src/core/lint/rules/weak-overridden.js";
import type { SourceFacts } from "../../../../src/core/lint/source-facts.js";

const WEAK_CHANGE = [
  "--- a/fs/proc/meminfo.c",
  "+++ b/fs/proc/meminfo.c",
  "@@ -22,3 +22,4 @@",
  " void __attribute__((weak)) arch_report_meminfo(struct seq_file *m)",
  " {",
  '+\tseq_puts(m, "ArchCounters:    none\\n");',
  " }",
  "",
].join("\n");

function facts(weakOverrides: SourceFacts["weakOverrides"]): SourceFacts {
  return { files: new Map(), staticKeys: new Map(), weakOverrides };
}

describe("weak-overridden", () => {
  it("finds weak definitions in both spellings, split declarations too, and not prototypes", () => {
    const text = [
      "void __attribute__((weak)) arch_report_meminfo(struct seq_file *m)",
      "{",
      "}",
      "int __weak",
      "arch_thing(int x)",
      "{",
      "\treturn x;",
      "}",
      "extern void __weak declared_only(void);",
      "void __weak prototype(void);",
      "static int plain(void)",
      "{",
      "}",
    ].join("\n");
    expect(weakDefinitions(text)).toEqual(["arch_report_meminfo", "arch_thing"]);
  });

  it("tells a strong definition from a weak one, a prototype and a call", () => {
    expect(
      definesStrong("void arch_report_meminfo(struct seq_file *m)\n{\n}", "arch_report_meminfo"),
    ).toBe(true);
    expect(definesStrong("int\narch_thing(int x)\n{\n}", "arch_thing")).toBe(true);
    expect(definesStrong("void __weak arch_thing(void)\n{\n}", "arch_thing")).toBe(false);
    expect(definesStrong("void arch_thing(void);\n", "arch_thing")).toBe(false);
    expect(definesStrong("static void f(void)\n{\n\tarch_thing();\n}", "arch_thing")).toBe(false);
    expect(definesStrong("static void arch_thing(void)\n{\n}", "arch_thing")).toBe(false);
  });

  it("is an error with the strong definition the target builds, naming it", () => {
    const home = { file: "arch/x86/mm/pat/set_memory.c", home: "vmlinux" as const };
    const [f] = lintPatch("p", WEAK_CHANGE, facts(new Map([["arch_report_meminfo", home]])));
    expect([f.rule, f.severity, f.startLine]).toEqual(["weak-overridden", "error", 24]);
    expect(f.message).toContain(
      "arch/x86/mm/pat/set_memory.c defines a strong arch_report_meminfo() (built into vmlinux by the target's .config)",
    );
  });

  it("says when it searched the whole tree because the target's .config was not known", () => {
    const home = { file: "arch/x86/mm/pat/set_memory.c", home: "unknown" as const };
    const [f] = lintPatch("p", WEAK_CHANGE, facts(new Map([["arch_report_meminfo", home]])));
    expect(f.message).toContain("found anywhere in the tree");
  });

  it("passes a weak function that nothing overrides (near miss)", () => {
    expect(lintPatch("p", WEAK_CHANGE, facts(new Map()))).toEqual([]);
  });

  it("warns from the diff alone and points at the source-aware lint", () => {
    const [f] = lintPatch("p", WEAK_CHANGE);
    expect([f.rule, f.severity]).toEqual(["weak-overridden", "warning"]);
    expect(f.message).toContain("lpctl lint --target ID");
  });
});
