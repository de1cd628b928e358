/**
 * no-functional-change: a patch whose every hunk only changes comments or
 * whitespace compiles to the same objects, and kpatch-build stops with
 * "no functional changes found". Decided on the whole patch: the removed
 * and the added lines of each hunk, comments stripped, must give the same
 * token stream (literals kept whole, so a changed string is a change).
 */
import type { DiffFile, DiffHunk } from "../../diff.js";
import { lexLine, type LexState } from "../c-code.js";
import type { Rule } from "../rule.js";
import { memoize } from "../view.js";

const TOKEN = /[A-Za-z_]\w*|\d[\w.]*|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|\S/g;

/** The tokens of one side's changed lines, comments stripped ("del": removed lines). */
function tokens(hunk: DiffHunk, kind: "add" | "del"): string[] {
  const state: LexState = { inComment: false, inMacro: false };
  const out: string[] = [];
  for (const line of hunk.lines) {
    if (line.kind !== "context" && line.kind !== kind) continue;
    const lexed = lexLine(line.text, state, true);
    if (line.kind !== kind) continue;
    out.push(...(lexed.code.match(TOKEN) ?? []));
    // A preprocessor directive ends at the line's end: joining two is a change.
    if (lexed.preproc && !state.inMacro) out.push("\n");
  }
  return out;
}

/** True when the hunk's removed and added code are the same tokens. */
export function onlyCommentsOrWhitespace(hunk: DiffHunk): boolean {
  const before = tokens(hunk, "del");
  const after = tokens(hunk, "add");
  return before.length === after.length && before.every((t, i) => t === after[i]);
}

/** True when every file of the patch is C text whose every hunk changes no code. */
export function patchChangesNoCode(files: readonly DiffFile[]): boolean {
  return (
    files.length > 0 &&
    files.every(
      (d) => !d.binary && /\.[ch]$/.test(d.path) && d.hunks.every(onlyCommentsOrWhitespace),
    )
  );
}

export const noFunctionalChange: Rule = {
  id: "no-functional-change",
  cOnly: true,
  check(h) {
    const files = h.file.patchFiles;
    // One finding per patch, on its first hunk.
    if (files === undefined || h.index !== 0 || files[0].path !== h.file.path) return [];
    if (!memoize(h.file, "no-code-change", () => patchChangesNoCode(files))) return [];
    const lines = [...h.oldSide, ...h.newSide].filter((l) => l.line.kind !== "context");
    return [
      {
        severity: "warning",
        lines,
        message:
          "the patch only changes comments or whitespace: it compiles to the same code, so built alone kpatch-build stops with 'no functional changes found', and in a cumulative module it adds nothing; drop it, or add the code change it documents",
      },
    ];
  },
};
