import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gatherSourceFacts } from "../../../../src/builder/lint/lint-source.js";
import { execaRunner } from "../../../../src/builder/runtime/runner.js";
import { dirSourceTree } from "../../../../src/builder/lint/source-tree.js";
import type { RuleId, Severity } from "../../../../src/core/lint/finding.js";
import { lintPatch } from "../../../../src/core/lint/lint.js";

const DIR = join(import.meta.dirname, "../../../fixtures/lint-src");
const tree = dirSourceTree(join(DIR, "tree"), execaRunner);
// The kpatch-build the lab runs (Debian's package): --klp-arch on every create-diff-object call.
const DEBIAN_KPATCH = {
  path: "/opt/livepatch-gitops/tools/usr/bin/kpatch-build",
  forcesKlpArch: true,
};
const factsOf = (texts: string[], kpatch = DEBIAN_KPATCH) => gatherSourceFacts(tree, texts, kpatch);
const text = (name: string) => readFileSync(join(DIR, "cases", `${name}.patch`), "utf8");
const brief = (fs: ReturnType<typeof lintPatch>) =>
  fs.map((f) => [f.file, f.startLine, f.endLine, f.severity, f.rule]);

type Expected = [file: string, start: number, end: number, severity: Severity, rule: RuleId];

// Real Linux 6.1.192 edits (see packages/lpctl/test/fixtures/lint-src/make-fixtures.py): what the
// diff-only lint reports, then what the lint decides on the source tree beside them.
const CASES: [name: string, diffOnly: Expected[], withSource: Expected[]][] = [
  [
    "define-macro-local",
    [
      ["kernel/signal.c", 255, 255, "warning", "inline-function-change"],
      ["kernel/signal.c", 255, 255, "error", "static-initializer-change"],
    ],
    [
      ["kernel/signal.c", 255, 255, "warning", "inline-function-change"],
      ["kernel/signal.c", 255, 255, "error", "static-initializer-change"],
    ],
  ],
  [
    "define-macro-spinlock",
    [["kernel/kthread.c", 34, 34, "error", "static-initializer-change"]],
    [["kernel/kthread.c", 34, 34, "error", "static-initializer-change"]],
  ],
  [
    "define-macro-static-key",
    [["kernel/sched/core.c", 4498, 4498, "error", "static-initializer-change"]],
    [["kernel/sched/core.c", 4498, 4498, "error", "static-initializer-change"]],
  ],
  ["include-livepatch", [], []],
  // The lab target has no CONFIG_MODVERSIONS: no CRC can disagree.
  ["include-other", [["fs/proc/cmdline.c", 4, 4, "warning", "include-added"]], []],
  [
    "init-one-line",
    [["fs/proc/cmdline.c", 16, 16, "error", "init-code"]],
    [["fs/proc/cmdline.c", 16, 16, "error", "init-code"]],
  ],
  [
    "init-split-declaration-2",
    [["mm/slab_common.c", 848, 848, "warning", "inline-function-change"]],
    [["mm/slab_common.c", 848, 848, "error", "init-code"]],
  ],
  [
    "init-split-declaration",
    [["kernel/resource.c", 1050, 1050, "warning", "inline-function-change"]],
    [["kernel/resource.c", 1050, 1050, "error", "init-code"]],
  ],
  [
    "init-split-nonstatic",
    [["kernel/resource.c", 1109, 1109, "warning", "inline-function-change"]],
    [["kernel/resource.c", 1109, 1112, "error", "init-code"]],
  ],
  [
    // The lab has no CONFIG_SCHEDSTATS: neither the key nor the function is built.
    "jump-label-existing-key",
    [],
    [
      ["kernel/sched/core.c", 4543, 4543, "warning", "jump-label-or-static-call"],
      ["kernel/sched/core.c", 4547, 4547, "warning", "inline-function-change"],
    ],
  ],
  [
    "jump-label-unbuilt-key",
    [["fs/proc/cmdline.c", 9, 9, "warning", "jump-label-or-static-call"]],
    [["fs/proc/cmdline.c", 9, 9, "error", "jump-label-or-static-call"]],
  ],
  // Debian's kpatch-build refuses every jump label, vmlinux keys too (kpatch-logs/lint).
  [
    "jump-label-vmlinux-key-added",
    [["fs/proc/meminfo.c", 43, 43, "warning", "jump-label-or-static-call"]],
    [["fs/proc/meminfo.c", 43, 43, "error", "jump-label-or-static-call"]],
  ],
  [
    "jump-label-vmlinux-key-array",
    [["fs/proc/array.c", 441, 441, "warning", "jump-label-or-static-call"]],
    [["fs/proc/array.c", 441, 441, "error", "jump-label-or-static-call"]],
  ],
  ["line-count-kept", [], []],
  ["line-shift-with-change", [], []],
  [
    // Only a comment: kpatch-build found no functional changes (kpatch-logs/lint/line-shift.log).
    "line-shift",
    [["kernel/resource.c", 61, 61, "warning", "no-functional-change"]],
    [["kernel/resource.c", 61, 61, "warning", "no-functional-change"]],
  ],
  ["plain-body-change", [], []],
  ["series-1", [], []],
  [
    "split-declaration-exported",
    [["kernel/resource.c", 1618, 1618, "warning", "inline-function-change"]],
    [],
  ],
  [
    "split-declaration-static",
    [["kernel/resource.c", 1876, 1876, "warning", "inline-function-change"]],
    [["kernel/resource.c", 1876, 1876, "warning", "inline-function-change"]],
  ],
  [
    "static-call-added",
    [["fs/proc/cmdline.c", 11, 11, "warning", "jump-label-or-static-call"]],
    [["fs/proc/cmdline.c", 11, 11, "error", "jump-label-or-static-call"]],
  ],
  [
    "static-int-initializer",
    [["mm/vmscan.c", 192, 192, "error", "static-initializer-change"]],
    [["mm/vmscan.c", 192, 192, "error", "static-initializer-change"]],
  ],
  [
    "static-local-declared-above",
    [],
    [["kernel/smp.c", 595, 595, "error", "static-local-removed"]],
  ],
  [
    "static-local-removed-above-context",
    [],
    [["mm/page_alloc.c", 705, 705, "error", "static-local-removed"]],
  ],
  ["static-local-one-use-removed", [["fs/coredump.c", 844, 844, "warning", "context-unknown"]], []],
  ["static-local-still-used", [], []],
  [
    // x86_pmu_get_event_constraints is a static call vmlinux defines (__SCK__ in System.map).
    "static-call-vmlinux-key",
    [["arch/x86/events/core.c", 2385, 2390, "warning", "jump-label-or-static-call"]],
    [["arch/x86/events/core.c", 2385, 2385, "warning", "inline-function-change"]],
  ],
  [
    // The static call's key is in vmlinux: kpatch-build keeps it (kpatch-logs/lint).
    "static-call-changed-function",
    [["arch/x86/events/core.c", 2235, 2235, "warning", "jump-label-or-static-call"]],
    [],
  ],
  [
    // sched_clock_running is a vmlinux key (clock.c is #included by build_utility.c).
    "notrace-declared",
    [
      ["kernel/sched/clock.c", 108, 108, "warning", "jump-label-or-static-call"],
      ["kernel/sched/clock.c", 108, 108, "error", "untraceable-function"],
    ],
    [
      ["kernel/sched/clock.c", 108, 108, "error", "jump-label-or-static-call"],
      ["kernel/sched/clock.c", 108, 108, "error", "untraceable-function"],
    ],
  ],
  // kernel/Makefile: CFLAGS_REMOVE_irq_work.o = $(CC_FLAGS_FTRACE)
  ["untraced-object", [], [["kernel/irq_work.c", 294, 294, "error", "untraceable-function"]]],
  [
    "header-inline-helper",
    [
      ["fs/proc/internal.h", 103, 103, "warning", "header-change"],
      ["fs/proc/internal.h", 103, 103, "warning", "inline-function-change"],
    ],
    [
      ["fs/proc/internal.h", 103, 103, "warning", "header-change"],
      ["fs/proc/internal.h", 103, 103, "warning", "inline-function-change"],
    ],
  ],
  [
    "signature-static",
    [
      ["fs/proc/array.c", 301, 301, "warning", "signature-change"],
      ["fs/proc/array.c", 328, 332, "warning", "inline-function-change"],
    ],
    [
      ["fs/proc/array.c", 301, 301, "warning", "signature-change"],
      ["fs/proc/array.c", 328, 332, "warning", "inline-function-change"],
    ],
  ],
  // Issue 22: shapes kpatch-build or the livepatch transition rejects (kpatch-logs/lint).
  [
    "init-added",
    [["fs/proc/cmdline.c", 23, 27, "error", "init-code"]],
    [["fs/proc/cmdline.c", 23, 27, "error", "init-code"]],
  ],
  [
    // kswapd()'s for (;;) loop is above the hunk: only the tree shows it.
    "never-returns-loop",
    [["mm/vmscan.c", 7419, 7419, "warning", "context-unknown"]],
    [["mm/vmscan.c", 7419, 7419, "error", "never-returns"]],
  ],
  // wakeup_kswapd() returns: the transition completes (kpatch-logs/lint/never-returns-control).
  ["never-returns-control", [], []],
  [
    "never-returns-entry",
    [["kernel/kthread.c", 748, 748, "error", "never-returns"]],
    [["kernel/kthread.c", 748, 748, "error", "never-returns"]],
  ],
  [
    // arch/x86/mm/pat/set_memory.c defines the strong arch_report_meminfo().
    "weak-overridden",
    [["fs/proc/meminfo.c", 24, 24, "warning", "weak-overridden"]],
    [["fs/proc/meminfo.c", 24, 24, "error", "weak-overridden"]],
  ],
  [
    "not-code-kbuild",
    [
      ["fs/proc/Kconfig", 29, 29, "error", "unsupported-path"],
      ["fs/proc/Makefile", 16, 16, "error", "unsupported-path"],
    ],
    [
      ["fs/proc/Kconfig", 29, 29, "error", "unsupported-path"],
      ["fs/proc/Makefile", 16, 16, "error", "unsupported-path"],
    ],
  ],
  [
    "not-code-kconfig",
    [["fs/proc/Kconfig", 29, 29, "error", "unsupported-path"]],
    [["fs/proc/Kconfig", 29, 29, "error", "unsupported-path"]],
  ],
  [
    "not-code-doc",
    [["Documentation/filesystems/proc.rst", 683, 683, "warning", "unsupported-path"]],
    [["Documentation/filesystems/proc.rst", 683, 683, "warning", "unsupported-path"]],
  ],
  [
    "no-functional-change",
    [["fs/proc/cmdline.c", 9, 9, "warning", "no-functional-change"]],
    [["fs/proc/cmdline.c", 9, 9, "warning", "no-functional-change"]],
  ],
];

describe("source-aware lint on real 6.1.192 patches", () => {
  it.each(CASES)("%s", async (name, diffOnly, withSource) => {
    const t = text(name);
    expect(brief(lintPatch(name, t))).toEqual(diffOnly);
    const [facts] = await factsOf([t]);
    expect(brief(lintPatch(name, t, facts))).toEqual(withSource);
  });

  it("says which rule of the split __init function decided it, and why", async () => {
    const t = text("init-split-declaration");
    const [facts] = await factsOf([t]);
    const [f] = lintPatch("p", t, facts);
    expect(f.message).toContain("__reserve_region_with_split() is __init/__exit code");
    const [d] = lintPatch("p", t);
    expect(d.message).toContain("lpctl lint --target ID");
  });

  it("names where an unsupported key lives and how the target's .config builds it", async () => {
    const t = text("jump-label-unbuilt-key");
    const [facts] = await factsOf([t]);
    expect(facts.staticKeys.get("delayacct_key")).toEqual({
      file: "kernel/delayacct.c",
      home: "not-built",
    });
    expect(lintPatch("p", t, facts)[0].message).toContain("kernel/delayacct.c");
  });

  it("finds keys defined with DEFINE_STATIC_KEY_MAYBE(CONFIG_X, key) and built into vmlinux", async () => {
    const [facts] = await factsOf([text("jump-label-vmlinux-key-added")]);
    expect(facts.staticKeys.get("init_on_alloc")).toEqual({
      file: "mm/page_alloc.c",
      home: "vmlinux",
    });
  });

  it("accepts any built key when the target has no CONFIG_JUMP_LABEL", async () => {
    const t = text("jump-label-vmlinux-key-added");
    const [facts] = await factsOf([t]);
    // The lab target has jump labels.
    expect(facts.jumpLabels).toBe(true);
    const noVmlinuxKey = { ...facts, staticKeys: new Map() };
    expect(lintPatch("p", t, { ...noVmlinuxKey, jumpLabels: false })).toEqual([]);
    expect(lintPatch("p", t, noVmlinuxKey)[0].rule).toBe("jump-label-or-static-call");
  });

  it("refuses a static call whose key a module defines, naming the file", async () => {
    const t = text("static-call-vmlinux-key");
    const [facts] = await factsOf([t]);
    const key = "static_call:x86_pmu_get_event_constraints";
    expect(facts.staticKeys.get(key)).toEqual({ file: "arch/x86/events/core.c", home: "vmlinux" });
    const inModule = new Map(facts.staticKeys).set(key, {
      file: "arch/x86/events/core.c",
      home: "module",
    });
    const f = lintPatch("p", t, { ...facts, staticKeys: inModule }).find(
      (x) => x.rule === "jump-label-or-static-call",
    );
    expect(f?.severity).toBe("error");
    expect(f?.message).toContain(
      "static call 'x86_pmu_get_event_constraints' is defined in arch/x86/events/core.c, which the target's .config builds as a module",
    );
  });

  it("says the include-added warning holds because the target has CONFIG_MODVERSIONS", async () => {
    const t = text("include-other");
    const [facts] = await factsOf([t]);
    expect(facts.modversions).toBe(false);
    const [f] = lintPatch("p", t, { ...facts, modversions: true });
    expect(f.message).toContain("the target's .config sets CONFIG_MODVERSIONS");
    expect(lintPatch("p", t)[0].message).toContain("CONFIG_MODVERSIONS is undecided");
  });

  it("on upstream kpatch-build, accepts a vmlinux key on Linux >= 5.8 and names the key otherwise", async () => {
    const t = text("jump-label-vmlinux-key-added");
    const upstream = { path: "kpatch-build", forcesKlpArch: false };
    const [facts] = await factsOf([t], upstream);
    expect(lintPatch("p", t, facts)).toEqual([]);
    const [debian] = lintPatch("p", t, { ...facts, kpatch: DEBIAN_KPATCH });
    expect(debian.message).toContain("runs create-diff-object with --klp-arch for every kernel");
    const { kpatch: _, ...unknown } = facts;
    expect(lintPatch("p", t, unknown)[0].message).toContain("no kpatch-build was found");
  });

  it("keeps the jump-label error for a vmlinux key on a kernel older than 5.8", async () => {
    const t = text("jump-label-vmlinux-key-added");
    const [facts] = await factsOf([t], { path: "kpatch-build", forcesKlpArch: false });
    const old = { ...facts, version: { major: 5, minor: 4 }, jumpLabels: true };
    const [f] = lintPatch("p", t, old);
    expect(f.rule).toBe("jump-label-or-static-call");
    expect(f.message).toContain("older than 5.8");
  });

  it("judges the second patch of a series on the file the first one left", async () => {
    const series = [text("series-1"), text("include-other")];
    const facts = await factsOf(series);
    expect(facts[1].files.get("fs/proc/cmdline.c")).toContain("seq_putc(m, ' ');");
    // As if the target had CONFIG_MODVERSIONS, so the include is reported on the new line 4.
    expect(brief(lintPatch("2", series[1], { ...facts[1], modversions: true }))).toEqual([
      ["fs/proc/cmdline.c", 4, 4, "warning", "include-added"],
    ]);
  });

  it("reports a patch that does not match the source instead of guessing", async () => {
    const t = text("init-one-line").replace("proc_create_single(", "proc_create_data(");
    const [facts] = await factsOf([text("init-one-line")]);
    const f = lintPatch("p", t, facts).find((x) => x.rule === "patch-file");
    expect(f?.message).toMatch(/hunk 1 does not match the target's source at line 16/);
  });
});
