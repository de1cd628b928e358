/**
 * inline-function-change: every caller that inlined the function changes
 * with it, and the kernel's `inline` implies notrace, so an out-of-line copy
 * has no patchable entry (kpatch-build: "has no fentry/mcount call").
 */
import { changesInFunctions, type Hit, type Rule } from "../rule.js";

const INLINE = /\b(inline|__inline__|__always_inline)\b/;

export const inlineFunctionChange: Rule = {
  id: "inline-function-change",
  cOnly: true,
  check(h) {
    const hits: Hit[] = [];
    for (const { line, fn } of changesInFunctions(h)) {
      if (INLINE.test(fn.header)) {
        hits.push({
          severity: "warning",
          lines: [line],
          message: `${fn.name}() is inline: every caller that inlined it changes and is patched too, and an out-of-line copy has no patchable entry because inline implies notrace; mark it noinline (or __always_inline) on purpose, or copy it under a new name for the patched callers`,
        });
        continue;
      }
      // Only the line with the name is visible; `static inline` may sit on the line above.
      const at = fn.header.indexOf(fn.name.replace(/…$/, ""));
      const beforeName = fn.header.slice(0, Math.max(0, at)).trim();
      if (fn.partial && beforeName === "") {
        hits.push({
          severity: "warning",
          lines: [line],
          message: `context does not show whether ${fn.name}() is declared inline; check by hand (if it is, its callers change too and it needs noinline or __always_inline)`,
        });
      }
    }
    return hits;
  },
};
