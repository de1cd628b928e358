/**
 * Pre-digested views of a diff file and its hunks that every rule shares:
 * lexed code per line, the old side (context + deleted lines) and the new
 * side (context + added lines) as separate sequences, and the new-side line
 * each line is reported at.
 */
import type { DiffFile, DiffHunk, DiffLine } from "../diff.js";
import { lexLine, normalize, startsAtColumn0, type LexState } from "./c-code.js";
import { findScope, type Scope, type ScopeCache } from "./scope.js";
import type { SourceFacts } from "./source-facts.js";

export interface HunkLine {
  line: DiffLine;
  /** Position in its side's sequence (HunkView.oldSide or newSide). */
  pos: number;
  code: string;
  preproc: boolean;
  col0: boolean;
  /** Changed line whose code is not just a comment, blank or moved within the hunk. */
  significant: boolean;
  /** New-side line to report: its own, or the nearest one for a deleted line. */
  anchor: number;
}

export interface FileView {
  path: string;
  diff: DiffFile;
  /** C source or header: the C-specific rules apply. */
  isC: boolean;
  hunks: HunkView[];
  /** Per-file results shared by rules, computed once. */
  memo: Map<string, unknown>;
  /** What the target's source says; undefined for diff-only lint. */
  facts?: SourceFacts;
  /** The hunks were widened to whole constructs from the original file. */
  widened: boolean;
  /** Every file of the patch this file is part of (binary ones too), for patch-wide rules. */
  patchFiles?: readonly DiffFile[];
}

export interface HunkView {
  file: FileView;
  /** Position in FileView.hunks. */
  index: number;
  hunk: DiffHunk;
  oldSide: HunkLine[];
  newSide: HunkLine[];
  /** Significant added and deleted lines, in hunk order. */
  changed: HunkLine[];
  scopeOf(l: HunkLine): Scope;
}

function anchorOf(lines: DiffLine[], i: number, fallback: number): number {
  const own = lines[i].newLine;
  if (own !== undefined) return own;
  for (let j = i + 1; j < lines.length; j++) {
    const n = lines[j].newLine;
    if (n !== undefined) return n;
  }
  for (let j = i - 1; j >= 0; j--) {
    const n = lines[j].newLine;
    if (n !== undefined) return n;
  }
  return Math.max(1, fallback);
}

function buildSide(hunk: DiffHunk, skip: "add" | "del"): HunkLine[] {
  const state: LexState = { inComment: false, inMacro: false };
  const side: HunkLine[] = [];
  hunk.lines.forEach((line, i) => {
    if (line.kind === skip) return;
    const lexed = lexLine(line.text, state);
    side.push({
      line,
      pos: side.length,
      code: lexed.code,
      preproc: lexed.preproc,
      col0: startsAtColumn0(line.text),
      significant: false,
      anchor: anchorOf(hunk.lines, i, hunk.newStart),
    });
  });
  return side;
}

/**
 * Marks changed lines with real code as significant, except a deleted and an
 * added line with the same code: that is re-indentation or a move inside the
 * hunk, which changes nothing kpatch cares about.
 */
function markSignificant(oldSide: HunkLine[], newSide: HunkLine[]): void {
  const pending = new Map<string, HunkLine[]>();
  for (const d of oldSide) {
    if (d.line.kind !== "del" || d.code.trim() === "") continue;
    const key = normalize(d.code);
    const list = pending.get(key);
    if (list) list.push(d);
    else pending.set(key, [d]);
  }
  for (const a of newSide) {
    if (a.line.kind !== "add" || a.code.trim() === "") continue;
    const list = pending.get(normalize(a.code));
    // Match deletions in order without shifting the array (linear for many equal lines).
    if (list === undefined || list.length === 0) a.significant = true;
    else list.pop();
  }
  for (const rest of pending.values()) for (const d of rest) d.significant = true;
}

/** Significant deleted and added lines in hunk order (each side keeps hunk order). */
function changedInOrder(hunk: DiffHunk, oldSide: HunkLine[], newSide: HunkLine[]): HunkLine[] {
  const changed: HunkLine[] = [];
  let o = 0;
  let n = 0;
  for (const line of hunk.lines) {
    if (line.kind === "context") {
      o++;
      n++;
    } else if (line.kind === "del") {
      if (oldSide[o].significant) changed.push(oldSide[o]);
      o++;
    } else {
      if (newSide[n].significant) changed.push(newSide[n]);
      n++;
    }
  }
  return changed;
}

function buildHunk(file: FileView, hunk: DiffHunk, index: number): HunkView {
  const oldSide = buildSide(hunk, "add");
  const newSide = buildSide(hunk, "del");
  markSignificant(oldSide, newSide);
  const changed = changedInOrder(hunk, oldSide, newSide);
  const scopes = new Map<HunkLine, Scope>();
  const oldCache: ScopeCache = new Map();
  const newCache: ScopeCache = new Map();
  const view: HunkView = {
    file,
    index,
    hunk,
    oldSide,
    newSide,
    changed,
    scopeOf(l) {
      let s = scopes.get(l);
      if (s === undefined) {
        const old = l.line.kind === "del";
        s = findScope(old ? oldSide : newSide, l.pos, hunk.section, old ? oldCache : newCache);
        scopes.set(l, s);
      }
      return s;
    },
  };
  return view;
}

/** Builds the shared view of one file of a parsed diff. */
export function buildFileView(diff: DiffFile, facts?: SourceFacts, widened = false): FileView {
  const file: FileView = {
    path: diff.path,
    diff,
    isC: /\.[ch]$/.test(diff.path),
    hunks: [],
    memo: new Map(),
    widened,
  };
  if (facts !== undefined) file.facts = facts;
  file.hunks = diff.hunks.map((h, i) => buildHunk(file, h, i));
  return file;
}

const IDENT = /[A-Za-z_]\w*/g;

/** The identifiers in a line of code. */
export function identifiers(code: string): string[] {
  return code.match(IDENT) ?? [];
}

/** Computes a per-file value once and shares it between hunks and rules. */
export function memoize<T>(file: FileView, key: string, compute: () => T): T {
  if (!file.memo.has(key)) file.memo.set(key, compute());
  return file.memo.get(key) as T;
}
