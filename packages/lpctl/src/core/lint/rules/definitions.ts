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
  /** Index of the hunk it was read from. */
  hunk: number;
}

export interface Definitions {
  old: Map<string, Definition[]>;
  new: Map<string, Definition[]>;
  oldByHunk: Map<number, Definition[]>;
  newByHunk: Map<number, Definition[]>;
}

const MAX_HEADER_LINES = 8;

function readDefinition(side: HunkLine[], p: number, hunk: number): Definition | undefined {
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
    return name === undefined ? undefined : { name, text, prototype, lines, hunk };
  }
  return undefined;
}

function collect(sides: HunkLine[][]): Map<string, Definition[]> {
  const out = new Map<string, Definition[]>();
  sides.forEach((side, hunk) => {
    for (let p = 0; p < side.length; p++) {
      const def = readDefinition(side, p, hunk);
      if (!def) continue;
      const list = out.get(def.name);
      if (list) list.push(def);
      else out.set(def.name, [def]);
    }
  });
  return out;
}

/** Definitions per hunk index, so a rule visits only the ones of the hunk it checks. */
export function byHunk(defs: Map<string, Definition[]>): Map<number, Definition[]> {
  const out = new Map<number, Definition[]>();
  for (const list of defs.values())
    for (const d of list) {
      const at = out.get(d.hunk);
      if (at) at.push(d);
      else out.set(d.hunk, [d]);
    }
  return out;
}

/** Definitions on the old side (context + deleted) and new side (context + added). */
export function definitions(file: FileView): Definitions {
  return memoize(file, "definitions", () => {
    const old = collect(file.hunks.map((h) => h.oldSide));
    const neu = collect(file.hunks.map((h) => h.newSide));
    return { old, new: neu, oldByHunk: byHunk(old), newByHunk: byHunk(neu) };
  });
}

/** Whether any of the definition's lines was added or deleted. */
export function touched(def: Definition): boolean {
  return def.lines.some((l) => l.line.kind !== "context");
}
