/**
 * context-unknown: the hunk does not show what encloses a change and its
 * header has no usable section text, so the scope rules cannot decide; say
 * so instead of guessing.
 */
import { isLabel } from "../c-code.js";
import type { Rule } from "../rule.js";
import { SOURCE_HINT } from "./source-hint.js";

const CHECK =
  "check by hand that it is not __init/__exit, inline or SYSCALL_DEFINE code, a struct definition or a static initializer (regenerate with 'git diff -U10' or 'diff -up' so hunk headers name the function)";

export const contextUnknown: Rule = {
  id: "context-unknown",
  cOnly: true,
  check(h) {
    const lines = h.changed.filter((l) => !l.preproc && h.scopeOf(l).kind === "unknown");
    if (lines.length === 0) return [];
    const section = h.hunk.section;
    // `diff -p` and git pick the last column-0 line, which inside a function can be a goto label.
    const what = isLabel(section)
      ? `context does not show the enclosing function (the hunk header names only the label '${section}')`
      : "context does not show the enclosing function or definition";
    return [{ severity: "warning", lines, message: `${what}; ${CHECK}${SOURCE_HINT}` }];
  },
};
