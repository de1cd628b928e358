/**
 * jump-label-or-static-call: kpatch-build refuses jump-label and static-call
 * sites in patched code whose key it cannot relocate. kpatch-build 0.9.9
 * keeps a jump label whose static key lives in vmlinux on Linux >= 5.8, and a
 * static call whose key lives in vmlinux; keys defined in a module are
 * refused ("… which is defined in a module"). Without CONFIG_JUMP_LABEL a
 * static key is a plain variable and static_branch_*() a plain load.
 */
import { addedMatches, changesInFunctions, type Hit, type Rule } from "../rule.js";
import { atLeast, type SourceFacts } from "../source-facts.js";
import type { HunkView } from "../view.js";
import { single } from "./added-constructs.js";
import { SOURCE_HINT } from "./source-hint.js";

export const JUMP_LABEL =
  /\b(static_branch_likely|static_branch_unlikely|static_key_true|static_key_false|static_call|static_call_cond)\s*\(/;

/** A jump-label or static-call site: the macro's kind and the key (or call) it names. */
export interface Site {
  kind: "jump-label" | "static-call";
  /** The static key ("&foo.key" -> "foo") or the static call's name. */
  name: string;
}

/** The site a line contains, or undefined when it names no key. */
export function siteOf(code: string): Site | undefined {
  const m = JUMP_LABEL.exec(code);
  if (!m) return undefined;
  const name = /^\s*\(\s*&?\s*([A-Za-z_]\w*)/.exec(code.slice(m.index + m[1].length))?.[1];
  if (name === undefined) return undefined;
  return { kind: m[1].startsWith("static_call") ? "static-call" : "jump-label", name };
}

/** The SourceFacts.staticKeys key of a site (static calls and static keys are separate names). */
export function siteKey(site: Site): string {
  return site.kind === "static-call" ? `static_call:${site.name}` : site.name;
}

function keyFacts(facts: SourceFacts | undefined, site: Site) {
  return facts?.staticKeys.get(siteKey(site));
}

/**
 * kpatch-build refuses every jump label when it runs create-diff-object with
 * --klp-arch: upstream does for kernels older than 5.8, Debian's package for
 * all. Unknown (no kpatch-build found) counts as refusing.
 */
function jumpLabelsRefused(facts: SourceFacts | undefined): boolean {
  return facts?.kpatch === undefined || facts.kpatch.forcesKlpArch || !atLeast(facts, 5, 8);
}

/** Only the source says whether kpatch-build keeps a site: where its key lives, and the kernel. */
function supported(h: HunkView, code: string): boolean {
  const site = siteOf(code);
  const facts = h.file.facts;
  const home = site === undefined ? undefined : keyFacts(facts, site)?.home;
  // A key whose object the target does not build would not even link.
  if (site === undefined || home === "not-built") return false;
  if (site.kind === "static-call") return home === "vmlinux";
  // Without CONFIG_JUMP_LABEL there is no jump label: the key is read like any variable.
  if (facts?.jumpLabels === false) return true;
  return !jumpLabelsRefused(facts) && home === "vmlinux";
}

/** Why the source-aware lint still refuses a site, to append to the message. */
function why(h: HunkView, code: string): string {
  const facts = h.file.facts;
  const site = siteOf(code);
  if (site === undefined) return "";
  if (facts === undefined)
    return SOURCE_HINT.replace(/^; /, " (where the key lives is undecided: ") + ")";
  const k = keyFacts(facts, site);
  if (site.kind === "jump-label" && k?.home !== "not-built") {
    if (facts.kpatch?.forcesKlpArch === true)
      return ` (the kpatch-build in use, ${facts.kpatch.path}, runs create-diff-object with --klp-arch for every kernel, as Debian's package does, so it refuses every jump label: 'Jump labels aren't supported with this kernel')`;
    if (facts.kpatch === undefined)
      return " (no kpatch-build was found to tell whether it supports jump labels; Debian's refuses all of them)";
    if (!atLeast(facts, 5, 8))
      return ` (the target's kernel is older than 5.8, which jump labels in patches need)`;
  }
  const what = site.kind === "static-call" ? "static call" : "key";
  if (k?.file === undefined)
    return ` (no definition of ${what} '${site.name}' was found in the target's source)`;
  const built =
    k.home === "module"
      ? "which the target's .config builds as a module"
      : k.home === "not-built"
        ? "which the target does not build (its object, or the #ifdef around the definition, is off in the target's .config)"
        : "which the target builds in an undetermined way";
  return ` (${what} '${site.name}' is defined in ${k.file}, ${built}; only ${what}s in vmlinux are supported)`;
}

const INSTEAD =
  "test the key with static_key_enabled(&key) (e.g. if (likely(static_key_enabled(&key)))) and call through KPATCH_STATIC_CALL(name)(args) instead of static_call(name)(args)";

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
  // Certain when the kpatch-build in use refuses every jump label of a CONFIG_JUMP_LABEL kernel.
  const facts = h.file.facts;
  const certain =
    facts?.kpatch?.forcesKlpArch === true &&
    facts.jumpLabels === true &&
    inFn.some((l) => {
      const site = siteOf(l.code);
      return site?.kind === "jump-label" && keyFacts(facts, site)?.home !== "not-built";
    });
  return single(
    inFn,
    certain ? "error" : "warning",
    `the changed function already uses a jump label or static call, which kpatch-build refuses in patched code ('Found a jump label/static call … defined in a module') unless its key is in vmlinux (jump labels: Linux >= 5.8, and a kpatch-build that does not force --klp-arch)${reason}; in the patch, ${INSTEAD}`,
  );
}

export const jumpLabelOrStaticCall: Rule = {
  id: "jump-label-or-static-call",
  cOnly: true,
  check(h) {
    const lines = addedMatches(h, JUMP_LABEL).filter((l) => !supported(h, l.code));
    const reason = lines.length > 0 ? why(h, lines[0].code) : "";
    // From the diff alone it is undecided (where the key lives, which
    // engine builds the target): a warning, which the build's source-aware
    // lint turns into an error when the source says so.
    const added = single(
      lines,
      h.file.facts === undefined ? "warning" : "error",
      `kpatch-build refuses jump labels and static calls in patched code ('Found a jump label/static call … defined in a module') unless the key is defined in vmlinux (jump labels: Linux >= 5.8, and a kpatch-build that does not force --klp-arch)${reason}; ${INSTEAD}`,
    );
    return added.length > 0 ? added : jumpLabelInChangedFunction(h);
  },
};
