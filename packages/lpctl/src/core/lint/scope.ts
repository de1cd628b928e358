/**
 * Finds what encloses a line of a hunk by walking backwards through the same
 * side of the hunk, counting braces, until an unmatched `{` or a column-0
 * line (kernel style puts every top-level declaration and its closing brace
 * there). When the hunk runs out first, the hunk header's section text (the
 * last column-0 line before the hunk, as git and `diff -p` print it) is the
 * best remaining evidence; without one the scope is unknown.
 */
import type { DiffLineKind } from "../diff.js";
import { isLabel } from "./c-code.js";
import { classifyHeader, type HeaderClass } from "./header.js";
import type { HunkLine } from "./view.js";

export interface FunctionScope {
  kind: "function";
  name: string;
  /** The visible declaration text up to the `{`. */
  header: string;
  /** The first line of the declaration is not visible, so storage class may be missing. */
  partial: boolean;
  /** Where the header line came from: a hunk line, or the hunk header's section text. */
  headerKind: DiffLineKind | "section";
  /** A function-scope `static` initializer (`static const int x[] = {`) the line is inside. */
  staticLocalInit?: string;
}

export type Scope =
  | FunctionScope
  | {
      kind: "type";
      keyword: "struct" | "union" | "enum";
      name: string;
      headerKind: DiffLineKind | "section";
    }
  | { kind: "initializer"; name: string; header: string; headerKind: DiffLineKind | "section" }
  | { kind: "top-level" }
  | { kind: "unknown" };

/** Scans right to left for a `{` that no `}` after it closes. */
function scanBraces(code: string, depth: number): { depth: number; openAt?: number } {
  for (let i = code.length - 1; i >= 0; i--) {
    if (code[i] === "}") depth++;
    else if (code[i] === "{") {
      if (depth === 0) return { depth, openAt: i };
      depth--;
    }
  }
  return { depth };
}

const ENDS_STATEMENT = /[;{}]$/;

/** Walks back from a column-0 `{` (or a header on that line) to where the declaration starts. */
function gatherHeader(
  side: HunkLine[],
  j: number,
  prefix: string,
): { text: string; partial: boolean; kind: DiffLineKind } {
  const parts = prefix === "" ? [] : [prefix];
  let start = j;
  let found = prefix !== "" && side[j].col0;
  for (let i = j - 1; i >= 0 && !found; i--) {
    const l = side[i];
    if (l.preproc || l.code.trim() === "") continue;
    if (ENDS_STATEMENT.test(l.code.trim())) break;
    parts.unshift(l.code.trim());
    start = i;
    found = l.col0;
  }
  // Kernel style may put the return type alone on the line directly above the name;
  // a blank, preprocessor or finished line there shows it does not.
  const first = side[start];
  let partial = !found;
  const above = side[start - 1];
  if (found && /^[A-Za-z_]\w*\s*\(/.test(first.code)) {
    if (above === undefined) partial = true;
    else if (above.col0 && !above.preproc && !/[;{}(),:]$/.test(above.code.trim())) {
      parts.unshift(above.code.trim());
    }
  }
  return { text: parts.join(" "), partial, kind: first.line.kind };
}

function fromSection(section: string): Scope {
  const text = section.replace(/\{\s*$/, "");
  if (section === "" || isLabel(section)) return { kind: "unknown" };
  // `diff -p` cuts the section at 40 characters, often inside the function name.
  const cut = /([A-Za-z_]\w*)$/.exec(text);
  const truncated = !text.includes("(") && text.length >= 39 && cut !== null;
  const looksLikeData = /^(static\s+)?(const\s+)?(struct|union|enum)\b/.test(text);
  const cls: HeaderClass =
    truncated && !looksLikeData
      ? { kind: "function", name: `${cut[1]}…` }
      : classifyHeader(text, true);
  if (cls.kind === "function") {
    return { kind: "function", name: cls.name, header: text, partial: true, headerKind: "section" };
  }
  if (cls.kind === "type") return { ...cls, headerKind: "section" };
  if (cls.kind === "initializer") return { ...cls, header: text, headerKind: "section" };
  return { kind: "unknown" };
}

function withStatic(scope: Scope, name: string | undefined): Scope {
  return name === undefined || scope.kind !== "function"
    ? scope
    : { ...scope, staticLocalInit: name };
}

/**
 * Results of scans by start position, per side of a hunk: a scan that reaches
 * line j with no open braces continues exactly like the scan for line j + 1,
 * so one long function costs linear time instead of quadratic.
 */
export type ScopeCache = Map<number, Scope>;

/** The construct enclosing side[k]; see the file comment for the method. */
export function findScope(
  side: HunkLine[],
  k: number,
  section: string,
  cache: ScopeCache = new Map(),
): Scope {
  const target = side[k];
  const own = target.code.trim();
  if (target.col0 && !target.preproc && own !== "" && !/^[{}]/.test(own) && !isLabel(own)) {
    return { kind: "top-level" };
  }
  let depth = 0;
  // The innermost function-scope `static … = {` the line sits in, if any.
  let staticLocalInit: string | undefined;
  const pending: number[] = [];
  const done = (raw: Scope): Scope => {
    const scope = withStatic(raw, staticLocalInit);
    for (const p of pending) cache.set(p, scope);
    return scope;
  };
  for (let j = k - 1; j >= 0; j--) {
    if (depth === 0) {
      const hit = cache.get(j + 1);
      if (hit !== undefined) return done(hit);
      // Positions after a static initializer was seen would not see it; do not share those.
      if (staticLocalInit === undefined) pending.push(j + 1);
    }
    const l = side[j];
    if (l.preproc || l.code.trim() === "") continue;
    const before = depth;
    const r = scanBraces(l.code, depth);
    if (r.openAt !== undefined) {
      const prefix = l.code.slice(0, r.openAt).trim();
      if (!l.col0) {
        const cls = classifyHeader(prefix, false);
        if (cls.kind === "initializer" && /^static\b/.test(prefix)) staticLocalInit ??= cls.name;
        depth = 0;
        continue;
      }
      const h = gatherHeader(side, j, prefix);
      const cls = classifyHeader(h.text, true);
      if (cls.kind === "function") {
        const header = h.partial && section !== "" ? `${section} ${h.text}` : h.text;
        return done({ ...cls, header, partial: h.partial, headerKind: h.kind });
      }
      if (cls.kind === "type") return done({ ...cls, headerKind: h.kind });
      if (cls.kind === "initializer") return done({ ...cls, header: h.text, headerKind: h.kind });
      return done(h.partial ? fromSection(section) : { kind: "top-level" });
    }
    depth = r.depth;
    if (before === 0 && l.col0 && !isLabel(l.code.trim())) return done({ kind: "top-level" });
  }
  return done(fromSection(section));
}
