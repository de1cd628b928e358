/**
 * inline-function-change: every caller that inlined the function changes
 * with it, and the kernel's `inline` implies notrace, so an out-of-line copy
 * has no patchable entry (kpatch-build: "has no fentry/mcount call"). With a
 * built tree, a `static` function missing from System.map was inlined by the
 * compiler: its callers are what kpatch-build patches.
 */
import { changesInFunctions, type Hit, type Rule } from "../rule.js";
import type { FunctionScope } from "../scope.js";
import { memoize, type FileView } from "../view.js";
import { SOURCE_HINT } from "./source-hint.js";

const INLINE = /\b(inline|__inline__|__always_inline)\b/;

/** Only the line with the name is visible; `static inline` may sit on the line above. */
function undecided(fn: FunctionScope): boolean {
  const at = fn.header.indexOf(fn.name.replace(/…$/, ""));
  return fn.partial && fn.header.slice(0, Math.max(0, at)).trim() === "";
}

/** Reports each function once per file, not once per hunk. */
function firstTime(file: FileView, name: string): boolean {
  const seen = memoize(file, "inline-reported", () => new Set<string>());
  if (seen.has(name)) return false;
  seen.add(name);
  return true;
}

/**
 * A static, non-__init function of an object built into vmlinux that System.map
 * lacks: only then does its absence mean the compiler inlined it.
 */
export function inlinedStatic(
  file: FileView,
  fn: FunctionScope,
  symbols?: ReadonlySet<string>,
): boolean {
  if (!file.widened || symbols === undefined || symbols.has(fn.name)) return false;
  if (!/^static\b/.test(fn.header) || /\b__(init|exit)\b/.test(fn.header)) return false;
  return file.facts?.objects?.get(file.path) === "vmlinux";
}

export const inlineFunctionChange: Rule = {
  id: "inline-function-change",
  cOnly: true,
  check(h) {
    const hits: Hit[] = [];
    const symbols = h.file.facts?.vmlinuxSymbols;
    for (const { line, fn } of changesInFunctions(h)) {
      if (INLINE.test(fn.header)) {
        hits.push({
          severity: "warning",
          lines: [line],
          message: `${fn.name}() is declared inline: every caller that inlined it changes and is patched too, and an out-of-line copy has no patchable entry because inline implies notrace; mark it noinline (or __always_inline) on purpose, or copy it under a new name for the patched callers`,
        });
      } else if (inlinedStatic(h.file, fn, symbols)) {
        if (firstTime(h.file, fn.name))
          hits.push({
            severity: "warning",
            lines: [line],
            message: `${fn.name}() is static and not in the target's System.map: the compiler inlined it (or the target's config does not compile it), so kpatch-build patches every caller it was inlined into instead; review those callers as changed functions too, or mark it noinline to patch only this function`,
          });
      } else if (!h.file.widened && undecided(fn) && firstTime(h.file, fn.name)) {
        hits.push({
          severity: "warning",
          lines: [line],
          message: `context does not show the line above ${fn.name}()'s name, so whether it is inline (or __init/__exit) is undecided; check by hand (if inline, its callers change too and it needs noinline or __always_inline)${SOURCE_HINT}`,
        });
      }
    }
    return hits;
  },
};
