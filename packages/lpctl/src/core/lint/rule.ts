/** The contract every lint rule implements, plus helpers several rules share. */
import type { RuleId, Severity } from "./finding.js";
import type { FunctionScope, Scope } from "./scope.js";
import { identifiers, memoize, type FileView, type HunkLine, type HunkView } from "./view.js";

/** One reason to report; hits of the same rule in one hunk become one finding. */
export interface Hit {
  severity: Severity;
  /** The lines that triggered it; the finding spans their anchors. */
  lines: HunkLine[];
  message: string;
}

export interface Rule {
  id: RuleId;
  /** Only C sources and headers (most rules); path rules look at every file. */
  cOnly: boolean;
  check(hunk: HunkView): Hit[];
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The plain identifier a scope name stands for ("SYSCALL_DEFINE1(umask)" -> "umask"). */
export function bareName(name: string): string {
  return /\((\w+)\)$/.exec(name)?.[1] ?? name;
}

/**
 * True when the construct exists both before and after the patch: a deleted
 * header means it is removed (function-removed covers that), and an added
 * header the old side never mentions means it is new, which is fine.
 */
export function existedBefore(file: FileView, scope: Scope): boolean {
  if (scope.kind === "top-level" || scope.kind === "unknown") return true;
  if (scope.headerKind === "del") return false;
  if (scope.headerKind !== "add") return true;
  return oldTopLevelWords(file).has(bareName(scope.name));
}

/** Identifiers on column-0 old-side lines of the file, computed once so each lookup is O(1). */
function oldTopLevelWords(file: FileView): Set<string> {
  return memoize(file, "old-top-level-words", () => {
    const words = new Set<string>();
    for (const h of file.hunks)
      for (const l of h.oldSide) if (l.col0) for (const w of identifiers(l.code)) words.add(w);
    return words;
  });
}

const CHANGES = new WeakMap<HunkView, { line: HunkLine; fn: FunctionScope }[]>();

/** The changed lines of a hunk whose enclosing scope is an existing function (computed once per hunk). */
export function changesInFunctions(h: HunkView): { line: HunkLine; fn: FunctionScope }[] {
  let out = CHANGES.get(h);
  if (out === undefined) {
    out = collectChanges(h);
    CHANGES.set(h, out);
  }
  return out;
}

function collectChanges(h: HunkView): { line: HunkLine; fn: FunctionScope }[] {
  const out: { line: HunkLine; fn: FunctionScope }[] = [];
  for (const line of h.changed) {
    const scope = h.scopeOf(line);
    if (scope.kind === "function" && existedBefore(h.file, scope)) out.push({ line, fn: scope });
  }
  return out;
}

/** Added lines matching `re` beyond the number of deleted lines matching it in the hunk. */
export function addedMatches(h: HunkView, re: RegExp): HunkLine[] {
  const dels = h.oldSide.filter((l) => l.line.kind === "del" && re.test(l.code)).length;
  return h.newSide
    .filter((l) => l.line.kind === "add" && l.significant && re.test(l.code))
    .slice(dels);
}

/** Word-boundary test for an identifier. */
export function mentions(code: string, name: string): boolean {
  return new RegExp(`\\b${escape(name)}\\b`).test(code);
}
