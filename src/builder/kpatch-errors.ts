/**
 * Maps kpatch-build's refusals to the lint rule that predicts them, so a
 * failed build points the author at the same rule the PR review showed
 * (rule ids match the patch-author-guide checklist the linter implements).
 */
export interface KpatchRuleMatch {
  rule: string;
  /** True when kpatch-build still succeeds (a warning, not a refusal). */
  warning: boolean;
  explanation: string;
}

const RULES: { re: RegExp; match: KpatchRuleMatch }[] = [
  {
    re: /\.init\.[a-z.]+ not selected/,
    match: {
      rule: "init-code",
      warning: false,
      explanation: "the patch changes __init code, which already ran; use a callback",
    },
  },
  {
    re: /\.data\.\.read_mostly|\.data\.once|_once/,
    match: {
      rule: "once-macro",
      warning: false,
      explanation: "printk_once/pr_*_once adds static data; use a shadow variable",
    },
  },
  {
    re: /data section \S+ selected for inclusion/,
    match: {
      rule: "data-structure-change",
      warning: false,
      explanation: "the patch changes static data or a static initializer; use shadow variables",
    },
  },
  {
    re: /reference to static local variable/,
    match: {
      rule: "static-local-removed",
      warning: false,
      explanation: "the patch removes the use of a function-scope static variable",
    },
  },
  {
    re: /unsupported patch to (lib\/|assembly)/,
    match: {
      rule: "unsupported-path",
      warning: false,
      explanation: "kpatch-build cannot patch lib/ or assembly files",
    },
  },
  {
    re: /Found a jump label|static call/,
    match: {
      rule: "jump-label-or-static-call",
      warning: false,
      explanation: "use static_key_enabled() or KPATCH_STATIC_CALL() instead",
    },
  },
  {
    re: /doesn't have patchable function entry|patchable function entry/,
    match: {
      rule: "inline-function-change",
      warning: false,
      explanation: "a changed function is inline/notrace and cannot be patched",
    },
  },
  {
    re: /Version disagreement/,
    match: {
      rule: "include-added",
      warning: true,
      explanation: "an added #include changed exported symbol CRCs",
    },
  },
];

/** The first rule any of `lines` matches, fatal rules before warnings. */
export function matchKpatchRule(lines: readonly string[]): KpatchRuleMatch | undefined {
  for (const { re, match } of RULES) {
    if (match.warning) continue;
    if (lines.some((l) => re.test(l))) return match;
  }
  for (const { re, match } of RULES) {
    if (lines.some((l) => re.test(l))) return match;
  }
  return undefined;
}

/** The patch file kpatch-build names in `ERROR: <file> file failed to apply`. */
export function failedPatchFile(lines: readonly string[]): string | undefined {
  for (const l of lines) {
    const m = /(?:ERROR: )?(\S+) file failed to apply/.exec(l);
    if (m) return m[1];
  }
  return undefined;
}
