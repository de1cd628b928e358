/**
 * signature-change: a function's parameters or return type changed. Callers
 * that are not part of the patch keep passing the old arguments.
 */
import { stripAttributes } from "../header.js";
import type { Hit, Rule } from "../rule.js";
import { definitions, touched, type Definition } from "./definitions.js";

// Attributes that do not change how callers call the function (adding noinline is a fix).
const NON_ABI =
  /\b(inline|noinline|__always_inline|notrace|__init|__exit|__cold|__maybe_unused|__used|__visible|__weak|__must_check|__flatten)\b/g;

function abi(def: Definition): string {
  return stripAttributes(def.text)
    .replace(NON_ABI, "")
    .replace(/\s+/g, " ")
    .replace(/\s*([(),*])\s*/g, "$1")
    .trim();
}

export const signatureChange: Rule = {
  id: "signature-change",
  cOnly: true,
  check(h) {
    const defs = definitions(h.file);
    const hits: Hit[] = [];
    for (const nd of defs.newByHunk.get(h.index) ?? []) {
      const name = nd.name;
      if (touched(nd)) {
        const od = defs.old.get(name)?.find((d) => d.prototype === nd.prototype);
        if (od === undefined || abi(od) === abi(nd)) continue;
        const lines = nd.lines.filter((l) => l.line.kind === "add");
        hits.push(
          /^static\b/.test(nd.text)
            ? {
                severity: "warning",
                lines,
                message: `${name}() changes its signature: it is static, so every caller must be in this file and patched with it; check that none is missing (inlined copies, function pointers stored in data)`,
              }
            : {
                severity: "error",
                lines,
                message: `${name}() changes its signature but is not static: callers in other objects and modules keep calling it with the old arguments; add a new function (e.g. ${name}_v2) with the new signature, call it from the patched callers and leave ${name}() as it is`,
              },
        );
      }
    }
    return hits;
  },
};
