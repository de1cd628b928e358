/**
 * jump-label-or-static-call: kpatch cannot relocate jump-label and static-call
 * sites in a patch module, except jump labels on keys in vmlinux on Linux
 * >= 5.8; without CONFIG_JUMP_LABEL a key is a plain variable.
 */
import { addedMatches, changesInFunctions, type Hit, type Rule } from "../rule.js";
import { atLeast } from "../source-facts.js";
import type { HunkView } from "../view.js";
import { single } from "./added-constructs.js";

export const JUMP_LABEL =
  /\b(static_branch_likely|static_branch_unlikely|static_key_true|static_key_false|static_call|static_call_cond)\s*\(/;
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
