/**
 * Lint findings as check-run annotations on the exact lines of the `.patch`
 * file in the repository: a finding names a line of the patched kernel
 * source, and the reviewer reads the diff, so each is mapped back to the
 * diff line that carries it. Pure.
 */
import { stripOne } from "@livepatch-gitops/lpctl/core/diff";
import type { Finding } from "@livepatch-gitops/lpctl/core/lint/finding";
import type { Annotation } from "./checks.js";
import { plain } from "./markdown.js";

/** `key(file, newLine)` → 1-based line in the patch text. */
export function diffLineIndex(patchText: string): Map<string, number> {
  const index = new Map<string, number>();
  let file: string | undefined;
  let newLine = 0;
  let inHunk = false;
  patchText.split("\n").forEach((line, i) => {
    if (line.startsWith("+++ ")) {
      const raw = line.slice(4).split("\t")[0]?.trim() ?? "";
      file = raw === "/dev/null" ? undefined : (stripOne(raw) ?? raw);
      inHunk = false;
      return;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      newLine = Number(hunk[1]);
      inHunk = true;
      return;
    }
    if (!inHunk || file === undefined) return;
    // An empty or tab-led line is context that lost its space, as parseDiff reads it.
    if (line.startsWith("+") || line.startsWith(" ") || line === "" || line.startsWith("\t")) {
      index.set(key(file, newLine), i + 1);
      newLine++;
    } else if (!line.startsWith("-") && !line.startsWith("\\")) inHunk = false;
  });
  return index;
}

function key(file: string, line: number): string {
  return `${file}\0${line}`;
}

/** One annotation per finding, on the patch file's lines; `patches` holds each patch's text by path. */
export function findingAnnotations(
  findings: readonly Finding[],
  patches: ReadonlyMap<string, string>,
): Annotation[] {
  const indexes = new Map<string, Map<string, number>>();
  return findings.map((f) => {
    const level = f.severity === "error" ? "failure" : "warning";
    // GitHub shows annotation text as text; a diff path or message may still carry control characters.
    const title = plain(
      `${f.rule}: ${f.file}:${f.startLine === f.endLine ? f.startLine : `${f.startLine}-${f.endLine}`}`,
    );
    const message = plain(f.message);
    if (f.file === f.patch)
      return {
        path: f.patch,
        start_line: f.startLine,
        end_line: f.endLine,
        annotation_level: level,
        message,
        title,
      };
    let index = indexes.get(f.patch);
    if (index === undefined) {
      index = diffLineIndex(patches.get(f.patch) ?? "");
      indexes.set(f.patch, index);
    }
    const start = index.get(key(f.file, f.startLine)) ?? 1;
    const end = Math.max(start, index.get(key(f.file, f.endLine)) ?? start);
    return {
      path: f.patch,
      start_line: start,
      end_line: end,
      annotation_level: level,
      message,
      title,
    };
  });
}
