/**
 * With the original file at hand, widens every hunk to the whole top-level
 * construct it touches (like `git diff --function-context`), so the rules see
 * the full declaration, every static local and every remaining use instead of
 * three lines of context. Overlapping widened hunks are merged.
 */
import type { DiffFile, DiffHunk, DiffLine } from "../diff.js";

/** A construct starts at column 0 with a name (git's default funcname rule), not a label. */
const STARTS = /^[A-Za-z_$]/;
const LABEL = /^[A-Za-z_]\w*:\s*$/;
/** A declaration line that continues on the next one (return type, attributes). */
const CONTINUES = /^[A-Za-z_][^;{}]*$/;

export type Expansion = { diff: DiffFile } | { mismatch: { hunk: number; line: number } };

function isStart(line: string): boolean {
  return STARTS.test(line) && !LABEL.test(line);
}

/** First line (0-based) of the construct enclosing `at`, scanning back. */
function constructStart(orig: string[], at: number): number {
  for (let j = at; j >= 0; j--) {
    const l = orig[j];
    if (/^}/.test(l)) return j + 1;
    if (!isStart(l)) continue;
    let start = j;
    // Kernel style: `static int __init` on the line above `name(...)`.
    while (start > 0 && start > j - 2 && CONTINUES.test(orig[start - 1])) start--;
    return start;
  }
  return 0;
}

/** Last line (0-based) of the construct open at `at`, scanning forward. */
function constructEnd(orig: string[], at: number): number {
  for (let k = at; k < orig.length; k++) {
    if (/^}/.test(orig[k])) return k;
    if (k > at && isStart(orig[k])) return k - 1;
  }
  return orig.length - 1;
}

interface Range {
  lo: number;
  hi: number;
  hunks: DiffHunk[];
}

function checkHunk(orig: string[], h: DiffHunk): number | undefined {
  let at = h.oldStart - (h.oldCount === 0 ? 0 : 1);
  for (const l of h.lines) {
    if (l.kind === "add") continue;
    if (orig[at] !== l.text) return at + 1;
    at++;
  }
  return undefined;
}

/** Widens and merges the hunks of `diff` against `original`, or names the first mismatch. */
export function expandDiffFile(diff: DiffFile, original: string): Expansion {
  const orig = original.split("\n");
  if (orig.at(-1) === "") orig.pop();
  const ranges: Range[] = [];
  for (const [i, h] of diff.hunks.entries()) {
    const bad = checkHunk(orig, h);
    if (bad !== undefined) return { mismatch: { hunk: i + 1, line: bad } };
    const first = Math.max(0, h.oldStart - 1);
    const last = Math.max(first, h.oldStart - 1 + h.oldCount - 1);
    const lo = Math.min(first, constructStart(orig, first));
    const hi = Math.max(last, constructEnd(orig, last));
    const prev = ranges.at(-1);
    if (prev !== undefined && lo <= prev.hi + 1) {
      prev.hi = Math.max(prev.hi, hi);
      prev.hunks.push(h);
    } else ranges.push({ lo: Math.max(lo, prev ? prev.hi + 1 : 0), hi, hunks: [h] });
  }
  let delta = 0;
  const hunks = ranges.map((r) => {
    const out = widen(orig, r, delta);
    delta += out.newCount - out.oldCount;
    return out;
  });
  return { diff: { ...diff, hunks } };
}

function widen(orig: string[], r: Range, delta: number): DiffHunk {
  const lines: DiffLine[] = [];
  let at = r.lo;
  let d = delta;
  const context = (upTo: number) => {
    for (; at < upTo; at++)
      lines.push({ kind: "context", text: orig[at], oldLine: at + 1, newLine: at + 1 + d });
  };
  for (const h of r.hunks) {
    context(h.oldStart - (h.oldCount === 0 ? 0 : 1));
    for (const l of h.lines) {
      if (l.kind === "context") lines.push({ ...l, oldLine: at + 1, newLine: at + 1 + d });
      else if (l.kind === "del") lines.push({ ...l, oldLine: at + 1 });
      else lines.push({ ...l, newLine: at + 1 + d });
      if (l.kind !== "add") at++;
      if (l.kind === "add") d++;
      else if (l.kind === "del") d--;
    }
  }
  context(r.hi + 1);
  const oldCount = lines.filter((l) => l.kind !== "add").length;
  return {
    oldStart: r.lo + 1,
    oldCount,
    newStart: r.lo + 1 + delta,
    newCount: lines.length - lines.filter((l) => l.kind === "del").length,
    section: "",
    lines,
  };
}

/** The file after `diff`, for the next patch of a series; undefined when it does not apply. */
export function applyDiffFile(diff: DiffFile, original: string): string | undefined {
  const orig = original.split("\n");
  const out: string[] = [];
  let at = 0;
  for (const h of diff.hunks) {
    if (checkHunk(orig, h) !== undefined) return undefined;
    const start = h.oldStart - (h.oldCount === 0 ? 0 : 1);
    out.push(...orig.slice(at, start));
    at = start;
    for (const l of h.lines) {
      if (l.kind !== "del") out.push(l.text);
      if (l.kind !== "add") at++;
    }
  }
  out.push(...orig.slice(at));
  return out.join("\n");
}
