/**
 * Maps kpatch-build's refusals to the lint rule (packages/lpctl/src/core/lint/registry.ts)
 * that predicts them, so a failed build points the author at the same rule
 * the PR review showed. The patterns follow the messages of kpatch-build and
 * create-diff-object; what the author should do comes from the rule itself
 * (rule-advice.ts), not from here.
 */
import type { RuleId } from "../../core/lint/finding.js";

export interface KpatchRuleMatch {
  rule: RuleId;
  /** True when kpatch-build still succeeds (a warning, not a refusal). */
  warning: boolean;
  /** The kpatch-build line that identified the rule. */
  line: string;
}

interface Signature {
  rule: RuleId;
  warning: boolean;
  re: RegExp;
}

const DO_SYS = /function (?:__do_sys_|__se_sys_|__do_compat_sys_|__se_compat_sys_)\S*/;

/** In order: the first signature any line matches decides (more specific ones first). */
const SIGNATURES: readonly Signature[] = [
  // __init/__exit code already ran and its sections are freed.
  { rule: "init-code", warning: false, re: /changed section \.(?:init|exit)\.\S+ not selected/ },
  // once macros: their hidden flag is a special static (__already_done,
  // __print_once, __warned) in .data.once, or .data..read_mostly on older kernels.
  {
    rule: "once-macro",
    warning: false,
    re: /data section \.data\.\.?once selected|static local variable (?:__already_done|__print_once|__warned)\b/,
  },
  // SYSCALL_DEFINE's inner __do_sys_*() is inline, hence notrace: checked before the general case.
  {
    rule: "syscall-define",
    warning: false,
    re: new RegExp(
      `${DO_SYS.source} (?:doesn't have patchable function entry|has no fentry/mcount call)`,
    ),
  },
  // A notrace function, or one built without -pg (kpatch-build 0.9.9's words), or a
  // noinstr one: its .noinstr.text section is shared, not a function section.
  {
    rule: "untraceable-function",
    warning: false,
    re: /function \S+ has no fentry\/mcount call|changed section \.noinstr\.text not selected/,
  },
  {
    rule: "inline-function-change",
    warning: false,
    re: /function \S+ doesn't have patchable function entry/,
  },
  // A changed initial value: the existing .data/.rodata/.bss section changed.
  {
    rule: "static-initializer-change",
    warning: false,
    re: /data section \S+ selected for inclusion|changed section \.(?:data|rodata|bss)\S* not selected/,
  },
  // Removed statics: named by kpatch-build, or (seen on the lab target when
  // the declarations sat above the hunk) the file's local symbols no longer
  // match vmlinux's.
  {
    rule: "static-local-removed",
    warning: false,
    re: /reference to static local variable \S+ in \S+ was removed|find_local_syms: \d+: couldn't find matching \S+ local symbols/,
  },
  // The plain .text section: an object built without -ffunction-sections,
  // i.e. assembly (seen on the lab target for arch/x86/lib/clear_page_64.S).
  {
    rule: "unsupported-path",
    warning: false,
    re: /unsupported patch to (?:lib\/|assembly)|changed section \.text not selected/,
  },
  // A new EXPORT_SYMBOL adds to the export tables, which kpatch cannot patch.
  { rule: "new-exported-symbol", warning: false, re: /changed section __ksymtab\S* not selected/ },
  {
    rule: "jump-label-or-static-call",
    warning: false,
    re: /Found a (?:jump label|static call) at/,
  },
  { rule: "include-added", warning: true, re: /Version disagreement for symbol/ },
  // A Kconfig or Makefile change: kbuild re-runs its compiler probes (try-run on
  // a /tmp/tmp.*.o), which kpatch-build's compiler wrapper then fails to copy.
  { rule: "unsupported-path", warning: false, re: /cp: cannot stat '\S*\/tmp\/tmp\.\w+\.o'/ },
];

/** The rule `lines` (kpatch-build output) show, refusals before warnings. */
export function matchKpatchRule(lines: readonly string[]): KpatchRuleMatch | undefined {
  const find = (warning: boolean) => {
    for (const s of SIGNATURES) {
      if (s.warning !== warning) continue;
      const line = lines.find((l) => s.re.test(l));
      if (line !== undefined) return { rule: s.rule, warning, line };
    }
    return undefined;
  };
  return find(false) ?? find(true);
}

/** The patch file kpatch-build names in `ERROR: <file> file failed to apply`. */
export function failedPatchFile(lines: readonly string[]): string | undefined {
  for (const l of lines) {
    const m = /(?:ERROR: )?(\S+) file failed to apply/.exec(l);
    if (m) return m[1];
  }
  return undefined;
}
