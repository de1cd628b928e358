/**
 * Just enough C lexing to reason about hunks: strip comments and the insides
 * of string/char literals (so braces and keywords in them do not count) and
 * mark preprocessor lines. A hunk can start inside a block comment, so kernel
 * comment continuation lines (a leading star) count as comments too.
 */

export interface LexState {
  inComment: boolean;
  /** The previous line was a preprocessor line ending in a backslash. */
  inMacro: boolean;
}

export interface LexedLine {
  /** The line without comments and with literal contents removed. */
  code: string;
  preproc: boolean;
}

const COMMENT_CONTINUATION = /^\s*\*(\s|\/|$)/;

/**
 * Lexes one line, updating `state` for the next line on the same side of the
 * hunk. `keepLiterals` keeps string and char literals whole instead of empty.
 */
export function lexLine(raw: string, state: LexState, keepLiterals = false): LexedLine {
  const preproc = state.inMacro || (!state.inComment && /^\s*#/.test(raw));
  state.inMacro = preproc && raw.trimEnd().endsWith("\\");
  if (!state.inComment && !preproc && COMMENT_CONTINUATION.test(raw)) {
    // A lone "*/" ends a comment we could not see start; anything else is inside one.
    return { code: "", preproc: false };
  }
  // Most lines have no comment or literal: nothing to strip.
  if (!state.inComment && !/[/"']/.test(raw)) return { code: raw.trimEnd(), preproc };
  let out = "";
  let i = 0;
  while (i < raw.length) {
    if (state.inComment) {
      const end = raw.indexOf("*/", i);
      if (end === -1) return { code: out.trimEnd(), preproc };
      state.inComment = false;
      out += " ";
      i = end + 2;
      continue;
    }
    const c = raw[i];
    const next = raw[i + 1];
    if (c === "/" && next === "*") {
      state.inComment = true;
      i += 2;
    } else if (c === "/" && next === "/") {
      break;
    } else if (c === '"' || c === "'") {
      const close = skipLiteral(raw, i);
      out += keepLiterals ? raw.slice(i, close + 1) : c + c;
      i = close + 1;
    } else {
      out += c;
      i++;
    }
  }
  return { code: out.trimEnd(), preproc };
}

/** Index of the quote closing the literal opened at `start`, or the last index. */
function skipLiteral(raw: string, start: number): number {
  const quote = raw[start];
  for (let i = start + 1; i < raw.length; i++) {
    if (raw[i] === "\\") i++;
    else if (raw[i] === quote) return i;
  }
  return raw.length - 1;
}

/** Collapses whitespace so that re-indented lines compare equal. */
export function normalize(code: string): string {
  return code.replace(/\s+/g, " ").trim();
}

/** True for a line written at column 0 (kernel style: a top-level declaration). */
export function startsAtColumn0(raw: string): boolean {
  return raw.length > 0 && !/^\s/.test(raw);
}

/** A goto label written at column 0 inside a function body ("out:", "err_free:"). */
export function isLabel(code: string): boolean {
  return /^[A-Za-z_]\w*:\s*$/.test(code) && !/^default:/.test(code);
}
