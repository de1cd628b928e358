/**
 * A parser for unified diffs as `git diff`/`diff -u` write them. It keeps
 * every line with its old- and new-side line number so that checks can point
 * at exact lines, and it keeps hunk headers (`@@ ... @@ func`) because they
 * name the enclosing function.
 */
import { LpctlError } from "./errors.js";

export type DiffLineKind = "context" | "add" | "del";

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
  /** Line number on the old side (context and del lines). */
  oldLine?: number;
  /** Line number on the new side (context and add lines). */
  newLine?: number;
}

export interface DiffHunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  /** Text after the second `@@`: git puts the enclosing function there. */
  section: string;
  lines: DiffLine[];
}

export interface DiffFile {
  /** Path with the `a/` prefix stripped; undefined for a created file. */
  oldPath?: string;
  /** Path with the `b/` prefix stripped; undefined for a deleted file. */
  newPath?: string;
  /** The path the change is about (new path, or old path when deleted). */
  path: string;
  binary: boolean;
  hunks: DiffHunk[];
  /** Header paths exactly as written (`---`, `+++`, `diff --git`), before -p1 stripping. */
  rawPaths?: string[];
  /** 1-based line of the file's `---` header (or its `Binary files` line). */
  headerLine?: number;
}

const HUNK_RE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;

/** The path in a `---`/`+++` header without its timestamp. */
function headerPath(raw: string): string {
  return raw.split("\t")[0].trim();
}

/**
 * What `patch -p1` makes of a header path: the first component dropped,
 * whatever it is (`a/`, `src.orig/`, `linux-6.1/`); a run of slashes counts
 * as one separator, as GNU patch counts it. Undefined when nothing is left.
 */
export function stripOne(path: string): string | undefined {
  const m = /^[^/]*\/+(.*)$/.exec(path);
  return m?.[1] || undefined;
}

function stripPrefix(raw: string): string | undefined {
  const p = headerPath(raw);
  if (p === "/dev/null") return undefined;
  return stripOne(p) ?? p;
}

function fail(message: string, line: number): never {
  throw new LpctlError("PATCH_INVALID", `line ${line}: ${message}`, { details: { line } });
}

/**
 * A git header (`diff --git a/x b/y`) whose section has no `---`/`+++` pair or
 * binary marker: a mode change, rename, copy or empty file. `patch` acts on
 * those without any hunk, so they are refused rather than silently dropped.
 */
interface GitHeader {
  line: number;
  paths: string[];
  used: boolean;
}

function closeGitHeader(git: GitHeader | undefined): void {
  if (git && !git.used) {
    fail("git header without a text change (mode change, rename or empty file)", git.line);
  }
}

/** Parses a unified diff; throws PATCH_INVALID naming the line on malformed input. */
export function parseDiff(text: string): DiffFile[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const files: DiffFile[] = [];
  let file: DiffFile | undefined;
  let git: GitHeader | undefined;
  let pendingBinary = false;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.startsWith("diff --git ")) {
      closeGitHeader(git);
      git = { line: i + 1, paths: line.slice(11).split(" ").filter(Boolean), used: false };
      file = undefined;
      pendingBinary = false;
      i++;
      continue;
    }
    if (git && !git.used && /^(rename|copy) (from|to) /.test(line)) {
      fail(`git ${line.split(" ")[0]} is not supported in a live patch`, i + 1);
    }
    if (line.startsWith("Binary files ") || line === "GIT binary patch") {
      pendingBinary = true;
      const m = /^Binary files (?:a\/)?(\S+) and (?:b\/)?(\S+) differ$/.exec(line);
      const rawPaths = git?.paths ?? [];
      // Without a "Binary files" line the path comes from this section's git header.
      const gitPath = git && !git.used ? stripPrefix(git.paths.at(-1) ?? "") : undefined;
      if (m) {
        files.push({ path: m[2], newPath: m[2], oldPath: m[1], binary: true, hunks: [], rawPaths });
      } else if (gitPath !== undefined) {
        files.push({ path: gitPath, newPath: gitPath, binary: true, hunks: [], rawPaths });
      } else if (file) file.binary = true;
      else files.push({ path: "(unknown)", binary: true, hunks: [], rawPaths });
      files.at(-1)!.headerLine ??= i + 1;
      if (git) git.used = true;
      i++;
      continue;
    }
    if (line.startsWith("--- ")) {
      const next = lines[i + 1];
      if (next === undefined || !next.startsWith("+++ ")) fail("'---' header without '+++'", i + 1);
      const oldPath = stripPrefix(line.slice(4));
      const newPath = stripPrefix(next.slice(4));
      const path = newPath ?? oldPath;
      if (path === undefined) fail("both sides of the file header are /dev/null", i + 1);
      const rawPaths = [
        headerPath(line.slice(4)),
        headerPath(next.slice(4)),
        ...(git?.paths ?? []),
      ];
      file = { path, binary: pendingBinary, hunks: [], rawPaths, headerLine: i + 1 };
      if (oldPath !== undefined) file.oldPath = oldPath;
      if (newPath !== undefined) file.newPath = newPath;
      files.push(file);
      if (git) git.used = true;
      i += 2;
      continue;
    }
    if (line.startsWith("@@")) {
      if (!file) fail("hunk before any '---'/'+++' file header", i + 1);
      const m = HUNK_RE.exec(line);
      if (!m) fail(`malformed hunk header '${line.slice(0, 60)}'`, i + 1);
      const hunk: DiffHunk = {
        oldStart: Number(m[1]),
        oldCount: m[2] === undefined ? 1 : Number(m[2]),
        newStart: Number(m[3]),
        newCount: m[4] === undefined ? 1 : Number(m[4]),
        section: m[5].trim(),
        lines: [],
      };
      i = readHunkBody(lines, i + 1, hunk);
      file.hunks.push(hunk);
      continue;
    }
    // Anything else between files (commit message, index lines, mode lines) is allowed.
    i++;
  }
  closeGitHeader(git);
  if (files.length === 0)
    throw new LpctlError("PATCH_INVALID", "not a unified diff: no '---'/'+++' file headers found");
  for (const f of files) {
    if (!f.binary && f.hunks.length === 0) {
      throw new LpctlError("PATCH_INVALID", `${f.path}: file header without any hunk`);
    }
  }
  return files;
}

function readHunkBody(lines: string[], start: number, hunk: DiffHunk): number {
  let oldLeft = hunk.oldCount;
  let newLeft = hunk.newCount;
  let oldNo = hunk.oldStart;
  let newNo = hunk.newStart;
  let i = start;
  while (oldLeft > 0 || newLeft > 0) {
    const raw = lines[i];
    if (raw === undefined)
      fail(`hunk ends early: expected ${oldLeft} more old and ${newLeft} more new lines`, i);
    if (raw.startsWith("\\")) {
      i++; // "\ No newline at end of file"
      continue;
    }
    // GNU patch reads an empty line, and a line starting with a tab, as context
    // whose leading space was lost (mail and editors strip it).
    const damaged = raw === "" || raw.startsWith("\t");
    const tag = damaged ? " " : raw[0];
    const text = damaged ? raw : raw.slice(1);
    if (tag === " ") {
      hunk.lines.push({ kind: "context", text, oldLine: oldNo++, newLine: newNo++ });
      oldLeft--;
      newLeft--;
    } else if (tag === "-") {
      hunk.lines.push({ kind: "del", text, oldLine: oldNo++ });
      oldLeft--;
    } else if (tag === "+") {
      hunk.lines.push({ kind: "add", text, newLine: newNo++ });
      newLeft--;
    } else {
      fail(`unexpected line in hunk (expected ' ', '+' or '-'): '${raw.slice(0, 60)}'`, i + 1);
    }
    if (oldLeft < 0 || newLeft < 0) fail("hunk has more lines than its header says", i + 1);
    i++;
  }
  if (lines[i]?.startsWith("\\")) i++;
  return i;
}
