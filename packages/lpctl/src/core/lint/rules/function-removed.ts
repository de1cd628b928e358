/**
 * function-removed: a live patch can only add functions and redirect
 * existing ones; a function deleted from the source stays in the running
 * kernel as dead code that unpatched callers can still reach.
 */
import type { Hit, Rule } from "../rule.js";
import { definitions, touched } from "./definitions.js";

export const functionRemoved: Rule = {
  id: "function-removed",
  cOnly: true,
  check(h) {
    const defs = definitions(h.file);
    const hits: Hit[] = [];
    for (const od of defs.oldByHunk.get(h.index) ?? []) {
      const name = od.name;
      if (!defs.new.has(name) && !od.prototype && touched(od)) {
        const lines = od.lines.filter((l) => l.line.kind === "del");
        if (lines.length === 0) continue;
        hits.push({
          severity: "warning",
          lines,
          message: `${name}() is removed: the original stays in the running kernel and callers outside the patch (other objects, function pointers in data) still reach it; make sure every caller is patched, or keep the function`,
        });
      }
    }
    return hits;
  },
};
