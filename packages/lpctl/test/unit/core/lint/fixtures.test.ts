import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RuleId, Severity } from "../../../../src/core/lint/finding.js";
import { lintPatch } from "../../../../src/core/lint/lint.js";

const DIR = join(import.meta.dirname, "../../../fixtures/lint");

function lintFixture(name: string) {
  const path = `${name}.patch`;
  return lintPatch(path, readFileSync(join(DIR, path), "utf8")).map(
    ({ file, startLine, endLine, severity, rule }) => ({
      file,
      startLine,
      endLine,
      severity,
      rule,
    }),
  );
}

type Expected = [file: string, start: number, end: number, severity: Severity, rule: RuleId];

// Each fixture is `diff -up` of a real Linux 6.1 file (see packages/lpctl/test/fixtures/lint/README.md),
// so the line numbers below are the patched tree's.
const CASES: [fixture: string, expected: Expected[]][] = [
  ["header-change", [["include/linux/proc_fs.h", 85, 85, "warning", "header-change"]]],
  ["init-code", [["fs/proc/cmdline.c", 16, 16, "error", "init-code"]]],
  ["data-structure-change", [["kernel/kallsyms.c", 660, 660, "error", "data-structure-change"]]],
  ["static-initializer-change", [["mm/vmscan.c", 192, 192, "error", "static-initializer-change"]]],
  ["signature-change", [["fs/proc/generic.c", 541, 541, "error", "signature-change"]]],
  ["inline-function-change", [["fs/proc/array.c", 418, 418, "warning", "inline-function-change"]]],
  [
    "static-local-removed",
    [
      ["kernel/smp.c", 579, 579, "error", "static-local-removed"],
      ["kernel/smp.c", 594, 594, "error", "static-local-removed"],
    ],
  ],
  ["once-macro", [["fs/proc/cmdline.c", 10, 10, "warning", "once-macro"]]],
  [
    "jump-label-or-static-call",
    [["fs/proc/cmdline.c", 11, 11, "warning", "jump-label-or-static-call"]],
  ],
  ["syscall-define", [["kernel/sys.c", 1910, 1910, "warning", "syscall-define"]]],
  [
    "unsupported-path",
    [
      ["arch/x86/entry/vdso/vgetcpu.c", 16, 17, "error", "unsupported-path"],
      ["arch/x86/lib/clear_page_64.S", 18, 19, "error", "unsupported-path"],
      ["lib/string_helpers.c", 990, 990, "error", "unsupported-path"],
    ],
  ],
  ["function-removed", [["fs/proc/array.c", 416, 416, "warning", "function-removed"]]],
  ["new-exported-symbol", [["fs/proc/generic.c", 583, 583, "error", "new-exported-symbol"]]],
  ["include-added", [["fs/proc/cmdline.c", 5, 5, "warning", "include-added"]]],
  ["context-unknown", [["kernel/sys.c", 2451, 2451, "warning", "context-unknown"]]],
  ["untraceable-function", [["kernel/entry/common.c", 121, 121, "error", "untraceable-function"]]],
];

describe("lint rules on real kernel patches", () => {
  it.each(CASES)("%s", (fixture, expected) => {
    const want = expected.map(([file, startLine, endLine, severity, rule]) => ({
      file,
      startLine,
      endLine,
      severity,
      rule,
    }));
    expect(lintFixture(fixture)).toEqual(want);
  });

  it("reports nothing for a plain change inside an ordinary function body", () => {
    expect(lintFixture("plain-body-change")).toEqual([]);
  });

  it("reports only no-functional-change for a comment-only change, even inside a SYSCALL_DEFINE", () => {
    expect(lintFixture("comment-only")).toEqual([
      {
        file: "kernel/sys.c",
        startLine: 1910,
        endLine: 1910,
        severity: "warning",
        rule: "no-functional-change",
      },
    ]);
  });

  it("says what to do instead, naming the construct", () => {
    const text = readFileSync(join(DIR, "syscall-define.patch"), "utf8");
    const [f] = lintPatch("syscall-define.patch", text);
    expect(f.message).toContain("SYSCALL_DEFINE1(umask)");
    expect(f.message).toContain("KPATCH_SYSCALL_DEFINE1");
    expect(f.patch).toBe("syscall-define.patch");
  });
});
