/** data-structure-change: a line inside an existing struct/union/enum definition changed. */
import { existedBefore, type Hit, type Rule } from "../rule.js";

export const dataStructureChange: Rule = {
  id: "data-structure-change",
  cOnly: true,
  check(h) {
    const hits: Hit[] = [];
    for (const line of h.changed) {
      const scope = h.scopeOf(line);
      if (scope.kind !== "type" || !existedBefore(h.file, scope)) continue;
      const what = `${scope.keyword} ${scope.name}`;
      hits.push(
        scope.keyword === "enum"
          ? {
              severity: "warning",
              lines: [line],
              message: `${what} changed: unpatched code keeps the old constants compiled in; only append values nothing old can see, or use new #defines in the patched file`,
            }
          : {
              severity: "error",
              lines: [line],
              message: `${what} layout changed: existing instances and every unpatched user keep the old layout; leave the definition alone and attach new fields with shadow variables (klp_shadow_get_or_alloc), changing semantics with callbacks`,
            },
      );
    }
    return hits;
  },
};
