import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gatherSourceFacts } from "../../../../src/builder/lint-source.js";
import { execaRunner } from "../../../../src/builder/runner.js";
import { dirSourceTree } from "../../../../src/builder/source-tree.js";
import type { RuleId } from "../../../../src/core/lint/finding.js";
import { lintPatch } from "../../../../src/core/lint/lint.js";

const FIXTURES = join(import.meta.dirname, "../../../fixtures");
const tree = dirSourceTree(join(FIXTURES, "lint-src/tree"), execaRunner);

interface Confirmation {
  /** Fixture patch: lint-src/cases/<name> (judged on the source tree) or lint/<name> (diff-only). */
  patch: string;
  /** What kpatch-build printed on the lab target (test/fixtures/kpatch-logs/lint/<log>.log). */
  log: string;
  outcome: RegExp;
  /** The rule whose error the outcome confirms; undefined when the lint must report no error. */
  rule?: RuleId;
  /** A warning the lint still gives on a patch kpatch-build accepts. */
  warning?: RuleId;
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
    // kpatch-build cannot match page_alloc.o's local symbols once the three statics are gone.
    patch: "lint-src/cases/static-local-removed-above-context",
    log: "static-local-removed-above-context",
    outcome:
      /page_alloc\.o: find_local_syms: \d+: couldn't find matching page_alloc\.c local symbols/,
    rule: "static-local-removed",
  },
  {
    patch: "lint/unsupported-path",
    log: "unsupported-path",
    outcome: /clear_page_64\.o: changed section \.text not selected for inclusion/,
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
    // Diff-only lint calls this an error; on the target's source (no CONFIG_JUMP_LABEL,
    // key built into vmlinux) it is fine, and kpatch-build agrees.
    patch: "lint-src/cases/jump-label-vmlinux-key-array",
    log: "jump-label-vmlinux-key-array",
    outcome: /array\.o: changed function: proc_pid_status\n[\s\S]*^SUCCESS$/m,
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
  },
  {
    patch: "lint-src/cases/line-shift-with-change",
    log: "line-shift-with-change",
    outcome: /^ERROR: no functional changes found/m,
  },
];

describe("lint verdicts agree with real kpatch-build runs on the lab target", () => {
  it.each(CONFIRMED)("$patch", async ({ patch, log, outcome, rule, warning }) => {
    const recorded = readFileSync(join(FIXTURES, "kpatch-logs/lint", `${log}.log`), "utf8");
    expect(recorded).toMatch(outcome);
    const text = readFileSync(join(FIXTURES, `${patch}.patch`), "utf8");
    const [facts] = patch.startsWith("lint-src/") ? await gatherSourceFacts(tree, [text]) : [];
    const findings = lintPatch(patch, text, facts);
    const errors = findings.filter((f) => f.severity === "error").map((f) => f.rule);
    if (rule === undefined) expect(errors).toEqual([]);
    else expect(errors).toContain(rule);
    if (warning !== undefined) expect(findings.map((f) => f.rule)).toContain(warning);
  });
});
