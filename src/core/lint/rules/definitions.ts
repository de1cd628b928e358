/**
 * Function definitions and prototypes visible on each side of a file's
 * hunks, so signature-change and function-removed can compare the two sides
 * across hunks (a function moved to another hunk is neither).
 */
import { normalize } from "../c-code.js";
import { functionName } from "../header.js";
import { memoize, type FileView, type HunkLine } from "../view.js";

export interface Definition {
  name: string;
  /** Declaration text up to `{` or `;`, whitespace-normalized. */
  text: string;
  prototype: boolean;
  lines: HunkLine[];
}

export interface Definitions {
  old: Map<string, Definition[]>;
  new: Map<string, Definition[]>;
}

const MAX_HEADER_LINES = 8;

function readDefinition(side: HunkLine[], p: number): Definition | undefined {
  const first = side[p];
  if (!first.col0 || first.preproc || !/^[A-Za-z_][^=]*\b[A-Za-z_]\w*\s*\(/.test(first.code)) {
    return undefined;
  }
  const lines: HunkLine[] = [];
  const above = side[p - 1];
  // Kernel style may put the return type alone on the line above the name.
  if (above?.col0 && !above.preproc && /^[A-Za-z_][\w\s*]*$/.test(above.code.trim())) {
    lines.push(above);
  }
  for (let i = p; i < side.length && i < p + MAX_HEADER_LINES; i++) {
    const l = side[i];
    if (l.preproc) continue;
    // Another column-0 declaration before the `{`: alternatives under #ifdef; too unclear to compare.
    if (i > p && l.col0 && !l.code.startsWith("{")) return undefined;
    const brace = l.code.indexOf("{");
    const semi = l.code.indexOf(";");
    lines.push(l);
    if (brace === -1 && semi === -1) continue;
    const prototype = semi !== -1 && (brace === -1 || semi < brace);
    let text = normalize(lines.map((x) => x.code).join(" "));
    text = text.slice(0, text.search(prototype ? /;/ : /\{/)).trim();
    // A macro call statement (EXPORT_SYMBOL(x);) ends with ')' right after the name's parentheses.
    if (prototype && /^[A-Z_][A-Z0-9_]*\s*\(/.test(text)) return undefined;
    const name = functionName(text);
    return name === undefined ? undefined : { name, text, prototype, lines };
  }
  return undefined;
}

function collect(sides: HunkLine[][]): Map<string, Definition[]> {
  const out = new Map<string, Definition[]>();
  for (const side of sides) {
    for (let p = 0; p < side.length; p++) {
      const def = readDefinition(side, p);
      if (def) out.set(def.name, [...(out.get(def.name) ?? []), def]);
    }
  }
  return out;
}

/** Definitions on the old side (context + deleted) and new side (context + added). */
export function definitions(file: FileView): Definitions {
  return memoize(file, "definitions", () => ({
    old: collect(file.hunks.map((h) => h.oldSide)),
    new: collect(file.hunks.map((h) => h.newSide)),
  }));
}

/** Whether any of the definition's lines was added or deleted. */
export function touched(def: Definition): boolean {
  return def.lines.some((l) => l.line.kind !== "context");
}
