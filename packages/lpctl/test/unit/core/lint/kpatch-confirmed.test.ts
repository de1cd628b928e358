import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gatherSourceFacts } from "../../../../src/builder/lint/lint-source.js";
import { execaRunner } from "../../../../src/builder/runtime/runner.js";
import { dirSourceTree } from "../../../../src/builder/lint/source-tree.js";
import type { RuleId } from "../../../../src/core/lint/finding.js";
import { lintEntry } from "../../../../src/core/lint/lint-entry.js";

const FIXTURES = join(import.meta.dirname, "../../../fixtures");
const tree = dirSourceTree(join(FIXTURES, "lint-src/tree"), execaRunner);
// The recorded runs used Debian's kpatch-build, which passes --klp-arch on every call
// (packages/lpctl/test/integration/builder/kpatch-traits.test.ts checks the installed one does).
const DEBIAN_KPATCH = {
  path: "/opt/livepatch-gitops/tools/usr/bin/kpatch-build",
  forcesKlpArch: true,
};

interface Confirmation {
  /** Fixture patch: lint-src/cases/<name> (judged on the source tree) or lint/<name> (diff-only). */
  patch: string;
  /** What kpatch-build printed on the lab target (packages/lpctl/test/fixtures/kpatch-logs/lint/<log>.log). */
  log: string;
  outcome: RegExp;
  /** The rule whose error the outcome confirms; undefined when the lint must report no error. */
  rule?: RuleId;
  /** A warning the lint still gives on a patch kpatch-build accepts. */
  warning?: RuleId;
  /** The source-aware lint must report nothing at all. */
  none?: boolean;
  /** Where the outcome is at load or transition: the lab VM test's log (<vmLog>.vm-test.log). */
  vm?: { log: string; outcome: RegExp };
}

const CONFIRMED: Confirmation[] = [
  {
    patch: "lint-src/cases/init-split-declaration",
    log: "init-split-declaration",
    outcome: /resource\.o: changed section \.init\.text not selected for inclusion/,
    rule: "init-code",
  },
  {
    patch: "lint-src/cases/define-macro-local",
    log: "define-macro-local",
    outcome: /signal\.o: changed section \.data\.ratelimit_state\.\d+ not selected for inclusion/,
    rule: "static-initializer-change",
  },
  {
    // The declarations sit above the hunk's context; kpatch-build names the removed static.
    patch: "lint-src/cases/static-local-removed-above-context",
    log: "static-local-removed-above-context",
    outcome:
      /page_alloc\.o: reference to static local variable nr_shown\.\d+ in bad_page was removed/,
    rule: "static-local-removed",
  },
  {
    patch: "lint/unsupported-path",
    log: "unsupported-path",
    outcome:
      /unsupported patch to lib\/: lib\/string_helpers\.c\n.*unsupported patch to assembly: arch\/x86\/lib\/clear_page_64\.S/,
    rule: "unsupported-path",
  },
  {
    patch: "lint/once-macro",
    log: "once-macro",
    outcome: /cmdline\.o: changed function: cmdline_proc_show\n[\s\S]*^SUCCESS$/m,
    warning: "once-macro",
  },
  {
    patch: "lint/syscall-define",
    log: "syscall-define",
    outcome: /sys\.o: changed function: __x64_sys_umask\n[\s\S]*^SUCCESS$/m,
    warning: "syscall-define",
  },
  {
    // kpatch-build cannot see layout changes; it patches the allocation that grew,
    // which is exactly what the lint's safety error is about.
    patch: "lint/data-structure-change",
    log: "data-structure-change",
    outcome: /kallsyms\.o: changed function: kallsyms_open\n[\s\S]*^SUCCESS$/m,
    rule: "data-structure-change",
  },
  {
    // The inline function itself is not patched; its caller is, as the warning says.
    patch: "lint/inline-function-change",
    log: "inline-function-change",
    outcome: /array\.o: changed function: proc_pid_status\n[\s\S]*^SUCCESS$/m,
    warning: "inline-function-change",
  },
  {
    patch: "lint/new-exported-symbol",
    log: "new-exported-symbol",
    outcome: /generic\.o: changed section __ksymtab_strings not selected for inclusion/,
    rule: "new-exported-symbol",
  },
  {
    // The removed function was static inline: nothing of it existed to patch.
    patch: "lint/function-removed",
    log: "function-removed",
    outcome: /^ERROR: no functional changes found/m,
    warning: "function-removed",
  },
  {
    // A vmlinux key on Linux 6.1 with CONFIG_JUMP_LABEL: upstream kpatch-build would keep
    // it; Debian's, forcing --klp-arch, refuses it, and so does the source-aware lint.
    patch: "lint-src/cases/jump-label-vmlinux-key-array",
    log: "jump-label-vmlinux-key-array",
    outcome:
      /array\.o: Found a jump label at proc_pid_status\(\)\+0x[0-9a-f]+, using key init_on_alloc\. {2}Jump labels aren't supported with this kernel/,
    rule: "jump-label-or-static-call",
  },
  {
    patch: "lint-src/cases/jump-label-vmlinux-key-added",
    log: "jump-label-vmlinux-key-added",
    outcome:
      /meminfo\.o: Found a jump label at meminfo_proc_show\(\)\+0x[0-9a-f]+, using key init_on_alloc\. {2}Jump labels aren't supported with this kernel/,
    rule: "jump-label-or-static-call",
  },
  {
    // CONFIG_TASK_DELAY_ACCT is off on the lab: the key is not even declared.
    patch: "lint-src/cases/jump-label-unbuilt-key",
    log: "jump-label-unbuilt-key",
    outcome: /fs\/proc\/cmdline\.c:9:37: error: .delayacct_key. undeclared/,
    rule: "jump-label-or-static-call",
  },
  {
    // A static call whose key vmlinux defines, in a changed function: kept even by
    // Debian's kpatch-build (only jump labels are refused with --klp-arch).
    patch: "lint-src/cases/static-call-changed-function",
    log: "static-call-changed-function",
    outcome: /core\.o: changed function: x86_pmu_read\n[\s\S]*^SUCCESS$/m,
    none: true,
  },
  {
    patch: "lint/untraceable-function",
    log: "untraceable-function",
    outcome: /common\.o: changed section \.noinstr\.text not selected for inclusion/,
    rule: "untraceable-function",
  },
  {
    patch: "lint-src/cases/notrace-declared",
    log: "notrace-declared",
    outcome:
      /build_utility\.o: function sched_clock_stable has no fentry\/mcount call, unable to patch/,
    rule: "untraceable-function",
  },
  {
    // kernel/Makefile: CFLAGS_REMOVE_irq_work.o = $(CC_FLAGS_FTRACE); nothing in the diff shows it.
    patch: "lint-src/cases/untraced-object",
    log: "untraced-object",
    outcome: /irq_work\.o: function irq_work_sync has no fentry\/mcount call, unable to patch/,
    rule: "untraceable-function",
  },
  {
    // The static function and its callers change together: kpatch-build builds it.
    patch: "lint-src/cases/signature-static",
    log: "signature-static",
    outcome:
      /array\.o: new function: render_cap_t\.constprop\.0\narray\.o: changed function: proc_pid_status\n[\s\S]*^SUCCESS$/m,
    warning: "signature-change",
  },
  {
    // Every includer of fs/proc/internal.h is rebuilt; only the inliner of the helper changes.
    patch: "lint-src/cases/header-inline-helper",
    log: "header-inline-helper",
    outcome: /inode\.o: changed function: proc_reg_open\n[\s\S]*^SUCCESS$/m,
    warning: "header-change",
  },
  {
    // No CONFIG_MODVERSIONS on the lab target: no CRC to disagree, and no finding.
    patch: "lint-src/cases/include-other",
    log: "include-other",
    outcome: /^ERROR: no functional changes found/m,
    none: true,
  },
  {
    patch: "lint-src/cases/include-livepatch",
    log: "include-livepatch",
    outcome: /^ERROR: no functional changes found/m,
  },
  {
    patch: "lint-src/cases/line-shift",
    log: "line-shift",
    outcome: /^ERROR: no functional changes found/m,
    warning: "no-functional-change",
  },
  {
    patch: "lint-src/cases/line-shift-with-change",
    log: "line-shift-with-change",
    outcome: /^ERROR: no functional changes found/m,
  },
  // Issue 22: shapes the lint used to pass silently.
  {
    patch: "lint-src/cases/init-added",
    log: "init-added",
    outcome: /cmdline\.o: changed section \.init\.text not selected for inclusion/,
    rule: "init-code",
  },
  {
    // kpatch-build builds it; the transition never completes: kswapd0 sleeps inside kswapd().
    patch: "lint-src/cases/never-returns-loop",
    log: "never-returns-loop",
    outcome: /vmscan\.o: changed function: kswapd\n[\s\S]*^SUCCESS$/m,
    rule: "never-returns",
    vm: {
      log: "never-returns-loop",
      outcome: /ok +insmod\n.*fail +transition +transition still 1 after 15s/,
    },
  },
  {
    // The control: a change next to kswapd() in the same file, in a function that
    // returns. It builds, transitions and unloads; the lint says nothing.
    patch: "lint-src/cases/never-returns-control",
    log: "never-returns-control",
    outcome: /vmscan\.o: changed function: wakeup_kswapd\n[\s\S]*^SUCCESS$/m,
    none: true,
    vm: { log: "never-returns-control", outcome: /ok +transition +0 polls\n[\s\S]*^PASS: /m },
  },
  {
    // kthreadd: the entry-point reason, decided from the diff alone too.
    patch: "lint-src/cases/never-returns-entry",
    log: "never-returns-entry",
    outcome: /kthread\.o: changed function: kthreadd\n[\s\S]*^SUCCESS$/m,
    rule: "never-returns",
    vm: {
      log: "never-returns-entry",
      outcome: /ok +insmod\n.*fail +transition +transition still 1 after 15s/,
    },
  },
  {
    // The weak copy is built and loaded, and replaces x86's strong arch_report_meminfo():
    // /proc/meminfo shows the weak copy's line instead of the DirectMap lines while loaded.
    patch: "lint-src/cases/weak-overridden",
    log: "weak-overridden",
    outcome: /meminfo\.o: changed function: arch_report_meminfo\n[\s\S]*^SUCCESS$/m,
    rule: "weak-overridden",
    vm: {
      log: "weak-overridden",
      outcome:
        /^before-t0: DirectMap4k.*\npatched-t0: ArchCounters: +none $\nunloaded-t0: DirectMap4k/m,
    },
  },
  {
    patch: "lint-src/cases/not-code-kbuild",
    log: "not-code-kbuild",
    outcome: /cp: cannot stat 'TREE\/\/tmp\/tmp\.\w+\.o': No such file or directory/,
    rule: "unsupported-path",
  },
  {
    // A Kconfig help text alone: kbuild's probes fail kpatch-build just the same.
    patch: "lint-src/cases/not-code-kconfig",
    log: "not-code-kconfig",
    outcome: /cp: cannot stat 'TREE\/\/tmp\/tmp\.\w+\.o': No such file or directory/,
    rule: "unsupported-path",
  },
  {
    // kpatch-build refuses a linker script as assembly (its name ends in .S) before building.
    patch: "lint-src/cases/not-code-lds",
    log: "not-code-lds",
    outcome:
      /^ERROR: PATCHES\/001-not-code-lds-0001-not-code-lds\.patch: unsupported patch to assembly: arch\/x86\/kernel\/vmlinux\.lds\.S$/m,
    rule: "unsupported-path",
  },
  {
    // include/generated/ is not in the source; in the built tree kbuild rewrites the patched
    // file before compiling (build.log: `UPD include/generated/utsrelease.h`), so the change
    // is lost: its includers rebuild to the same code.
    patch: "lint-src/cases/not-code-generated",
    log: "not-code-generated",
    outcome: /^Extracting new and modified ELF sections\nERROR: no functional changes found/m,
    rule: "unsupported-path",
  },
  {
    // Documentation alone builds nothing; beside a C change it would be carried silently.
    patch: "lint-src/cases/not-code-doc",
    log: "not-code-doc",
    outcome: /^ERROR: no changed objects found/m,
    warning: "unsupported-path",
  },
  {
    patch: "lint-src/cases/no-functional-change",
    log: "no-functional-change",
    outcome: /^ERROR: no functional changes found/m,
    warning: "no-functional-change",
  },
  // One cumulative build of a patch per style: patch -p1 applies them all (patch-file accepts them).
  ...[
    ["style-git/0001-version-check", "version.o: changed function: version_proc_show"],
    ["style-diff-nupr/0001-loadavg-rounding", "loadavg.o: changed function: loadavg_proc_show"],
    ["style-quilt/0001-uptime-check", "uptime.o: changed function: uptime_proc_show"],
    ["style-other-prefix/0001-cmdline-one-call", "cmdline.o: changed function: cmdline_proc_show"],
  ].map(([patch = "", line = ""]) => ({
    patch: `builder/patches/${patch}`,
    log: "patch-styles",
    outcome: new RegExp(`^${line}$[\\s\\S]*^SUCCESS$`, "m"),
    none: true,
  })),
];

describe("lint verdicts agree with real kpatch-build runs on the lab target", () => {
  it.each(CONFIRMED)("$patch", async ({ patch, log, outcome, rule, warning, none, vm }) => {
    const recorded = readFileSync(join(FIXTURES, "kpatch-logs/lint", `${log}.log`), "utf8");
    expect(recorded).toMatch(outcome);
    if (vm !== undefined) {
      const vmLog = readFileSync(
        join(FIXTURES, "kpatch-logs/lint", `${vm.log}.vm-test.log`),
        "utf8",
      );
      expect(vmLog).toMatch(vm.outcome);
    }
    const text = readFileSync(join(FIXTURES, `${patch}.patch`), "utf8");
    const [facts] = patch.startsWith("lint-src/")
      ? await gatherSourceFacts(tree, [text], DEBIAN_KPATCH)
      : [];
    // lintEntry: the patch-file checks validate shares, then the rules.
    const findings = lintEntry({ path: patch, size: text.length, text }, facts);
    const errors = findings.filter((f) => f.severity === "error").map((f) => f.rule);
    if (rule === undefined) expect(errors).toEqual([]);
    else expect(errors).toContain(rule);
    if (warning !== undefined) expect(findings.map((f) => f.rule)).toContain(warning);
    if (none === true) expect(findings).toEqual([]);
  });
});
