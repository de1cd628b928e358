/**
 * context-unknown: the hunk does not show what encloses a change and has no
 * section text in its header, so the scope rules cannot decide; say so
 * instead of guessing.
 */
import type { Rule } from "../rule.js";

export const contextUnknown: Rule = {
  id: "context-unknown",
  cOnly: true,
  check(h) {
    const lines = h.changed.filter((l) => !l.preproc && h.scopeOf(l).kind === "unknown");
    return lines.length === 0
      ? []
      : [
          {
            severity: "warning",
            lines,
            message:
              "context does not show the enclosing function or definition; check by hand that it is not __init/__exit, inline or SYSCALL_DEFINE code, a struct definition or a static initializer (regenerate with 'git diff -U10' or 'diff -up' so hunk headers name the function)",
          },
        ];
  },
};
