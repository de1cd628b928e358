/**
 * GitHub's filter patterns for `branches`, `tags` and `paths` ("Filter
 * pattern cheat sheet" in the workflow syntax docs): `*` matches any
 * character but `/`, `**` any character (`**` and a slash also matches no
 * directory at all), `?` makes the preceding character optional, `+`
 * repeats it, `[…]` is a character class, `\` escapes, and a leading `!`
 * (in a list) excludes what earlier patterns included.
 */

const cache = new Map<string, RegExp>();

/** The anchored regular expression of one pattern (without a leading `!`). */
export function filterPatternRegExp(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached;
  const atoms: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === "*") {
      if (pattern.charAt(i + 1) === "*" && pattern.charAt(i + 2) === "/") {
        // `**/` also matches no directory at all: `**/README.md` matches README.md.
        atoms.push("(?:.*/)?");
        i += 2;
      } else if (pattern.charAt(i + 1) === "*") {
        atoms.push(".*");
        i++;
      } else {
        atoms.push("[^/]*");
      }
    } else if ((c === "?" || c === "+") && atoms.length > 0 && !atoms.at(-1)?.endsWith("*")) {
      atoms[atoms.length - 1] = `(?:${atoms.at(-1)})${c}`;
    } else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) {
        atoms.push("\\[");
      } else {
        atoms.push(`[${pattern.slice(i + 1, end).replace(/[\\^]/g, "\\$&")}]`);
        i = end;
      }
    } else if (c === "\\" && i + 1 < pattern.length) {
      atoms.push(escape(pattern.charAt(i + 1)));
      i++;
    } else {
      atoms.push(escape(c));
    }
  }
  const re = new RegExp(`^${atoms.join("")}$`, "s");
  cache.set(pattern, re);
  return re;
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * Whether an ordered list of patterns selects `value`: a pattern includes
 * what it matches, a later `!pattern` excludes it again, and so on.
 */
export function selectedBy(patterns: readonly string[], value: string): boolean {
  let selected = false;
  for (const p of patterns) {
    if (p.startsWith("!")) {
      if (selected && filterPatternRegExp(p.slice(1)).test(value)) selected = false;
    } else if (!selected && filterPatternRegExp(p).test(value)) {
      selected = true;
    }
  }
  return selected;
}

/** Whether any pattern matches `value` (the `*-ignore` lists have no negation). */
export function matchedByAny(patterns: readonly string[], value: string): boolean {
  return patterns.some((p) => filterPatternRegExp(p).test(value));
}
