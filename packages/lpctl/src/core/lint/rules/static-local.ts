/**
 * static-local-removed: create-diff-object correlates a patched function's
 * static locals with the originals so their values survive; when the patched
 * function stops referencing one, that fails ("reference to static local
 * variable … was removed").
 */
import type { Hit, Rule } from "../rule.js";
import { SOURCE_HINT } from "./source-hint.js";
import { identifiers, memoize, type FileView, type HunkLine } from "../view.js";

const STATIC_LOCAL =
  /^\s*static\s+(?:DEFINE_\w+\(\s*([A-Za-z_]\w*)|[^=;(]*?\b([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*[=;])/;

interface StaticLocal {
  name: string;
  declaredOld: boolean;
  declaredNew: boolean;
}

function declared(l: HunkLine): string | undefined {
  if (l.col0 || l.preproc || !l.code.includes("static")) return undefined;
  const m = STATIC_LOCAL.exec(l.code);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Function-scope statics declared anywhere in the visible file, and on which sides. */
function staticLocals(file: FileView): Map<string, StaticLocal> {
  return memoize(file, "static-locals", () => {
    const out = new Map<string, StaticLocal>();
    for (const h of file.hunks) {
      for (const [side, key] of [
        [h.oldSide, "declaredOld"],
        [h.newSide, "declaredNew"],
      ] as const) {
        for (const l of side) {
          const name = declared(l);
          if (name === undefined) continue;
          const s = out.get(name) ?? { name, declaredOld: false, declaredNew: false };
          s[key] = true;
          out.set(name, s);
        }
      }
    }
    return out;
  });
}

/** Identifiers used on the new side, not counting a static's own declaration line. */
function newSideUses(file: FileView): Set<string> {
  return memoize(file, "new-side-uses", () => {
    const plain: string[] = [];
    const used = new Set<string>();
    for (const h of file.hunks)
      for (const l of h.newSide) {
        const own = declared(l);
        if (own === undefined) plain.push(l.code);
        else for (const w of identifiers(l.code)) if (w !== own) used.add(w);
      }
    // One scan of the joined text allocates far less than one per line.
    for (const w of identifiers(plain.join("\n"))) used.add(w);
    return used;
  });
}

export const staticLocalRemoved: Rule = {
  id: "static-local-removed",
  cOnly: true,
  check(h) {
    const hits: Hit[] = [];
    const locals = staticLocals(h.file);
    const used = newSideUses(h.file);
    for (const line of h.changed.filter((l) => l.line.kind === "del")) {
      for (const name of new Set(identifiers(line.code))) {
        const s = locals.get(name);
        if (s === undefined || used.has(name)) continue;
        // A changed declaration that is still there removes nothing.
        if (declared(line) === name && s.declaredNew) continue;
        // Widened from the source, the whole function is visible: no use left is certain.
        const gone = (s.declaredOld && !s.declaredNew) || h.file.widened;
        hits.push({
          severity: gone ? "error" : "warning",
          lines: [line],
          message: gone
            ? `static local '${s.name}' is ${s.declaredNew ? "no longer referenced" : "removed"}: kpatch-build fails ('reference to static local variable ${s.name} … removed'); keep the variable and a harmless reference to it in the patched function`
            : `the last visible use of static local '${s.name}' is removed; context does not show whether the function still uses it elsewhere; check by hand, and keep a reference if not (kpatch-build fails when none is left)${SOURCE_HINT}`,
        });
      }
    }
    return hits;
  },
};
