/**
 * What the live-patch linter reports: one finding per rule per hunk, pointing
 * at new-side line numbers so an author can jump straight to the patched tree.
 */

/** `error`: kpatch-build refuses it or the module would be unsafe; `warning`: needs a human look. */
export type Severity = "error" | "warning";

export type RuleId =
  | "patch-file"
  | "header-change"
  | "init-code"
  | "data-structure-change"
  | "static-initializer-change"
  | "signature-change"
  | "inline-function-change"
  | "untraceable-function"
  | "static-local-removed"
  | "once-macro"
  | "jump-label-or-static-call"
  | "syscall-define"
  | "unsupported-path"
  | "function-removed"
  | "new-exported-symbol"
  | "include-added"
  | "context-unknown"
  | "never-returns"
  | "weak-overridden"
  | "no-functional-change";

export interface Finding {
  /** The patch file the finding came from, as given to lintPatch. */
  patch: string;
  /** The patched source file inside the kernel tree. */
  file: string;
  /** First new-side line (1-based) the finding is about. */
  startLine: number;
  /** Last new-side line, inclusive; equal to startLine for one line. */
  endLine: number;
  severity: Severity;
  rule: RuleId;
  message: string;
}

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Total order used for output: file, start line, end line, rule, then message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.file, b.file) ||
    cmp(a.startLine, b.startLine) ||
    cmp(a.endLine, b.endLine) ||
    cmp(a.rule, b.rule) ||
    cmp(a.message, b.message)
  );
}

/** "file:12-14" or "file:12" when the range is one line. */
export function formatLocation(f: Finding): string {
  const range = f.startLine === f.endLine ? `${f.startLine}` : `${f.startLine}-${f.endLine}`;
  return `${f.file}:${range}`;
}
