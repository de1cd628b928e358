/** Rules triggered by a construct the patch adds, wherever it appears. */
import { addedMatches, type Hit, type Rule } from "../rule.js";
import { memoize } from "../view.js";
import { SOURCE_HINT } from "./source-hint.js";

const ONCE =
  /\b(printk_once|printk_deferred_once|pr_[a-z]+_once|dev_[a-z]+_once|netdev_[a-z]+_once|WARN_ONCE|WARN_ON_ONCE|DO_ONCE|DO_ONCE_LITE|DO_ONCE_LITE_IF)\s*\(/;
const EXPORT = /^\s*EXPORT_(?:PER_CPU_)?SYMBOL\w*\s*\(\s*([A-Za-z_]\w*)/;
// What shadow variables and callbacks (the fixes this lint recommends) need; they declare no exported types.
const LIVEPATCH_HEADERS = new Set(["linux/livepatch.h", "kpatch-macros.h", "kpatch-syscall.h"]);
const INCLUDE = /^\s*#\s*include\s*[<"]([^>"]+)[>"]/;

export function single(lines: Hit["lines"], severity: Hit["severity"], message: string): Hit[] {
  return lines.length === 0 ? [] : [{ severity, lines, message }];
}

// once-macro: the hidden "already done" flag becomes a new static of the patch module.
// kpatch-build 0.9.9 builds it (a pr_warn_once() in cmdline_proc_show() on the lab
// target, packages/lpctl/test/fixtures/kpatch-logs/lint/once-macro.log), so this is a warning.
export const onceMacro: Rule = {
  id: "once-macro",
  cOnly: true,
  check(h) {
    const lines = addedMatches(h, ONCE);
    const macro = lines.length > 0 ? ONCE.exec(lines[0].code)?.[1] : undefined;
    return single(
      lines,
      "warning",
      `${macro ?? "a once macro"}() keeps its 'already done' flag in a hidden static (.data.once); the patch module gets its own copy, so it fires again once after every patch load and replace, and older kpatch-build releases refused it ('data section … selected for inclusion'); if that matters, open-code it: static bool done; if (!done) { done = true; pr_warn(...); }`,
    );
  },
};

// new-exported-symbol: kpatch-build refuses the new __ksymtab entry (lab run, kpatch-logs/lint).
export const newExportedSymbol: Rule = {
  id: "new-exported-symbol",
  cOnly: true,
  check(h) {
    const gone = memoize(
      h.file,
      "old-exports",
      () =>
        new Set(
          h.file.hunks.flatMap((x) =>
            x.oldSide.map((l) =>
              l.code.includes("EXPORT_") ? EXPORT.exec(l.code)?.[1] : undefined,
            ),
          ),
        ),
    );
    const lines = addedMatches(h, EXPORT).filter((l) => !gone.has(EXPORT.exec(l.code)?.[1]));
    return single(
      lines,
      "error",
      "new exported symbol: kpatch-build refuses it ('changed section __ksymtab_strings not selected for inclusion', confirmed on the lab target), and an export from a patch module would make other modules depend on it; call the function within the patch instead of exporting it",
    );
  },
};

// include-added: genksyms sees more types, so exported symbol CRCs can change.
// Only with CONFIG_MODVERSIONS: without it no symbol has a CRC, and kpatch-build
// compares none (its "Version disagreement" check runs only for MODVERSIONS).
export const includeAdded: Rule = {
  id: "include-added",
  cOnly: true,
  check(h) {
    const modversions = h.file.facts?.modversions;
    if (modversions === false) return [];
    const gone = memoize(
      h.file,
      "old-includes",
      () =>
        new Set(
          h.file.hunks.flatMap((x) =>
            x.oldSide.map((l) => (l.preproc ? INCLUDE.exec(l.line.text)?.[1] : undefined)),
          ),
        ),
    );
    const lines = h.newSide.filter((l) => {
      const m = l.line.kind === "add" && l.preproc ? INCLUDE.exec(l.line.text) : null;
      return m !== null && !gone.has(m[1]) && !LIVEPATCH_HEADERS.has(m[1]);
    });
    return single(
      lines,
      "warning",
      `#include added: the extra definitions can change exported symbols' CRCs ('Version disagreement for symbol …') and the module may fail to load${modversions === true ? " (the target's .config sets CONFIG_MODVERSIONS)" : SOURCE_HINT.replace(/^;/, "; whether the target has CONFIG_MODVERSIONS is undecided:")}; copy just the needed declarations into the .c file, or wrap the include in #ifndef __GENKSYMS__`,
    );
  },
};
