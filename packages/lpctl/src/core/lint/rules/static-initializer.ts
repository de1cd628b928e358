/**
 * static-initializer-change: the initial value of an existing static or
 * global variable changed. Initial values live in .data/.rodata, which
 * kpatch-build refuses to include, and the running kernel would keep the old
 * value anyway.
 */
import { normalize } from "../c-code.js";
import { variableName } from "../header.js";
import { existedBefore, type Hit, type Rule } from "../rule.js";
import type { HunkLine } from "../view.js";

// `[static] [const] type name[...] = value;` on one line, without a call before the `=`.
const ONE_LINE_DEF =
  /^(static\s+)?[A-Za-z_][\w\s*]*?\b[A-Za-z_]\w*\s*(\[[^\]]*\])?\s*=(?!=)[^;]*;$/;

// `[static] DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 10);`: the kernel's macro-defined statics.
const DEFINE_MACRO = /^(?:static\s+)?(DEFINE_\w+)\s*\((.*)\)\s*;?$/;

function macroName(code: string, local: boolean): string | undefined {
  const m = DEFINE_MACRO.exec(code);
  if (!m || (local && !code.startsWith("static "))) return undefined;
  const args = m[2].split(",").map((a) => a.trim());
  // DEFINE_PER_CPU(type, name) names the variable last; the others first.
  const name = m[1].includes("PER_CPU") ? args.at(-1) : args[0];
  return name !== undefined && /^[A-Za-z_]\w*$/.test(name) ? name : undefined;
}

function definedName(l: HunkLine): string | undefined {
  const code = normalize(l.code);
  const local = !l.col0;
  const macro = macroName(code, local);
  if (macro !== undefined) return macro;
  if (!ONE_LINE_DEF.test(code) || (local && !code.startsWith("static "))) return undefined;
  if (/^(return|else|case)\b/.test(code)) return undefined;
  return variableName(code.slice(0, code.indexOf("=")));
}

function fix(name: string): string {
  return `the initial value of '${name}' lives in a data section: kpatch-build refuses it ('data section … selected for inclusion') and the running kernel keeps the old value; set the new value from a post-patch callback, or add a new variable and use it from the patched functions`;
}

export const staticInitializerChange: Rule = {
  id: "static-initializer-change",
  cOnly: true,
  check(h) {
    const hits: Hit[] = [];
    const removed = new Set(
      h.oldSide
        .filter((l) => l.line.kind === "del")
        .map(definedName)
        .filter((n) => n !== undefined),
    );
    for (const line of h.changed) {
      const own = line.line.kind === "add" ? definedName(line) : undefined;
      if (own !== undefined && removed.has(own)) {
        hits.push({ severity: "error", lines: [line], message: fix(own) });
        continue;
      }
      const scope = h.scopeOf(line);
      if (scope.kind === "initializer" && existedBefore(h.file, scope)) {
        hits.push({ severity: "error", lines: [line], message: fix(scope.name) });
      } else if (scope.kind === "function" && scope.staticLocalInit !== undefined) {
        hits.push({ severity: "error", lines: [line], message: fix(scope.staticLocalInit) });
      }
    }
    return hits;
  },
};
