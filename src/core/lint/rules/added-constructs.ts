/** Rules triggered by a construct the patch adds, wherever it appears. */
import { addedMatches, changesInFunctions, type Hit, type Rule } from "../rule.js";
import { atLeast } from "../source-facts.js";
import { memoize, type HunkView } from "../view.js";

const ONCE =
  /\b(printk_once|printk_deferred_once|pr_[a-z]+_once|dev_[a-z]+_once|netdev_[a-z]+_once|WARN_ONCE|WARN_ON_ONCE|DO_ONCE|DO_ONCE_LITE|DO_ONCE_LITE_IF)\s*\(/;
export const JUMP_LABEL =
  /\b(static_branch_likely|static_branch_unlikely|static_key_true|static_key_false|static_call|static_call_cond)\s*\(/;
const EXPORT = /^\s*EXPORT_(?:PER_CPU_)?SYMBOL\w*\s*\(\s*([A-Za-z_]\w*)/;
// What shadow variables and callbacks (the fixes this lint recommends) need; they declare no exported types.
const LIVEPATCH_HEADERS = new Set(["linux/livepatch.h", "kpatch-macros.h", "kpatch-syscall.h"]);
const INCLUDE = /^\s*#\s*include\s*[<"]([^>"]+)[>"]/;

function single(lines: Hit["lines"], severity: Hit["severity"], message: string): Hit[] {
  return lines.length === 0 ? [] : [{ severity, lines, message }];
}

// once-macro: the hidden "already done" flag becomes a new static of the patch module.
// kpatch-build 0.9.9 builds it (a pr_warn_once() in cmdline_proc_show() on the lab
// target, test/fixtures/kpatch-logs/lint/once-macro.log), so this is a warning.
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

/** The static key a jump-label line tests ("&foo.key" -> "foo"), or undefined for a static call. */
export function keyOf(code: string): string | undefined {
  const m = JUMP_LABEL.exec(code);
  if (!m || m[1].startsWith("static_call")) return undefined;
  return /^\s*\(\s*&?\s*([A-Za-z_]\w*)/.exec(code.slice(m.index + m[1].length))?.[1];
}

/**
 * kpatch supports jump labels in patched code on Linux >= 5.8 when the key
 * lives in vmlinux (klp relocations for __jump_table); only the source says so.
 */
function supported(h: HunkView, code: string): boolean {
  const key = keyOf(code);
  const facts = h.file.facts;
  const home = key === undefined ? undefined : facts?.staticKeys.get(key)?.home;
  // A key whose object the target does not build would not even link.
  if (key === undefined || home === "not-built") return false;
  // Without CONFIG_JUMP_LABEL there is no jump label: the key is read like any variable.
  if (facts?.jumpLabels === false) return true;
  return atLeast(facts, 5, 8) && home === "vmlinux";
}

/** Why the source-aware lint still refuses a key, to append to the message. */
function why(h: HunkView, code: string): string {
  const facts = h.file.facts;
  const key = keyOf(code);
  if (facts === undefined || key === undefined) return "";
  if (!atLeast(facts, 5, 8))
    return ` (the target's kernel is older than 5.8, which jump labels in patches need)`;
  const k = facts.staticKeys.get(key);
  if (k?.file === undefined)
    return ` (no definition of key '${key}' was found in the target's source)`;
  return ` (key '${key}' is defined in ${k.file}, which the target's .config builds ${k.home === "module" ? "as a module" : k.home === "not-built" ? "not at all" : "in an undetermined way"}; only keys in vmlinux are supported)`;
}

function jumpLabelInChangedFunction(h: HunkView): Hit[] {
  const changedFns = new Set(changesInFunctions(h).map((c) => c.fn.name));
  const lines = h.newSide.filter(
    (l) => l.line.kind === "context" && JUMP_LABEL.test(l.code) && !supported(h, l.code),
  );
  const inFn = lines.filter((l) => {
    const s = h.scopeOf(l);
    return s.kind === "function" && changedFns.has(s.name);
  });
  const reason = inFn.length > 0 ? why(h, inFn[0].code) : "";
  return single(
    inFn,
    "warning",
    `the changed function already uses a jump label or static call, which kpatch-build refuses in patched code ('Found a jump label/static call') unless the key is in vmlinux on Linux >= 5.8${reason}; replace it in the patch with static_key_enabled(&key) or KPATCH_STATIC_CALL()`,
  );
}

// jump-label-or-static-call: kpatch cannot relocate jump-label and static-call sites in a patch module.
export const jumpLabelOrStaticCall: Rule = {
  id: "jump-label-or-static-call",
  cOnly: true,
  check(h) {
    const lines = addedMatches(h, JUMP_LABEL).filter((l) => !supported(h, l.code));
    const reason = lines.length > 0 ? why(h, lines[0].code) : "";
    const added = single(
      lines,
      "error",
      `kpatch-build refuses jump labels and static calls in patched code ('Found a jump label/static call') unless it is a static key defined in vmlinux on Linux >= 5.8${reason}; test the key with static_key_enabled(&key) (e.g. if (likely(static_key_enabled(&key)))) and call through KPATCH_STATIC_CALL(name)(args) instead of static_call(name)(args)`,
    );
    return added.length > 0 ? added : jumpLabelInChangedFunction(h);
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
export const includeAdded: Rule = {
  id: "include-added",
  cOnly: true,
  check(h) {
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
      "#include added: the extra definitions can change exported symbols' CRCs ('Version disagreement for symbol …') and the module may fail to load; copy just the needed declarations into the .c file, or wrap the include in #ifndef __GENKSYMS__",
    );
  },
};
