/**
 * line-shift: WARN*() and BUG*() record __LINE__, so a hunk that inserts or
 * removes lines changes the compiled code of every function below it that
 * uses them, and kpatch-build then patches those functions too. Only the
 * source shows which functions those are; diff-only lint cannot decide it.
 */
import { functionName } from "../header.js";
import type { Rule } from "../rule.js";
import { memoize, type FileView } from "../view.js";

const LINE_MACRO =
  /\b(WARN|WARN_ON|WARN_ON_ONCE|WARN_ONCE|WARN_TAINT|WARN_TAINT_ONCE|BUG|BUG_ON)\s*\(/;
const MAX_NAMES = 8;

interface Shift {
  /** Index of the first hunk after which the line numbers differ. */
  hunk: number;
  functions: string[];
}

/** Net line delta after each hunk (1-based old line where it ends, cumulative delta). */
function deltas(file: FileView): { end: number; delta: number }[] {
  let delta = 0;
  return file.diff.hunks.map((h) => {
    delta += h.newCount - h.oldCount;
    return { end: h.oldStart + h.oldCount, delta };
  });
}

function shifted(file: FileView, original: string): Shift | undefined {
  const after = deltas(file);
  const first = after.findIndex((d) => d.delta !== 0);
  if (first === -1) return undefined;
  const names = new Set<string>();
  let current: string | undefined;
  let k = 0;
  const lines = original.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    while (k < after.length && i + 1 >= after[k].end) k++;
    if (/^}/.test(line)) current = undefined;
    else if (/^[A-Za-z_]/.test(line) && line.includes("(") && !/;\s*$/.test(line)) {
      current = functionName(line);
    }
    const delta = k === 0 ? 0 : after[k - 1].delta;
    if (current !== undefined && delta !== 0 && LINE_MACRO.test(line)) {
      names.add(current);
    }
  }
  const touched = new Set(file.hunks.flatMap((h) => h.changed.map((l) => h.scopeOf(l))));
  for (const s of touched) if (s.kind === "function") names.delete(s.name);
  return names.size === 0 ? undefined : { hunk: first, functions: [...names] };
}

export const lineShift: Rule = {
  id: "line-shift",
  cOnly: true,
  check(h) {
    const original = h.file.widened ? h.file.facts?.files.get(h.file.path) : undefined;
    if (original === undefined) return [];
    const shift = memoize(h.file, "line-shift", () => shifted(h.file, original));
    // Comment lines move __LINE__ too, so every added or deleted line counts here.
    const moved = [...h.oldSide, ...h.newSide].filter((l) => l.line.kind !== "context");
    if (shift === undefined || shift.hunk !== h.index || moved.length === 0) return [];
    const list = shift.functions
      .slice(0, MAX_NAMES)
      .map((n) => `${n}()`)
      .join(", ");
    const more =
      shift.functions.length > MAX_NAMES ? ` and ${shift.functions.length - MAX_NAMES} more` : "";
    return [
      {
        severity: "warning",
        lines: moved,
        message: `the patch changes the file's line count, which shifts __LINE__ in the WARN/BUG sites of ${list}${more} below it: kpatch-build sees those functions as changed and patches them too; keep the line count unchanged (join or split lines) or review them as part of the patch`,
      },
    ];
  },
};
