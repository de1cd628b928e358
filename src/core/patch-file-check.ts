/**
 * Checks one `*.patch` file of a patch directory: size, text, unified-diff
 * syntax and the paths it touches. The diff is applied with `patch -p1` on a
 * build runner, so a path that is absolute, climbs out with `..` or carries
 * control characters could write outside the kernel tree.
 */
import { parseDiff, type DiffFile } from "./diff.js";
import { isLpctlError } from "./errors.js";
import { isPrintable } from "./printable.js";
import type { Problem } from "./problem.js";
import { sizeLimitFor, tooLargeMessage, type RepoEntry } from "./repo-snapshot.js";

/** Why a path written in a diff header is unsafe, or undefined when it is fine. */
export function diffPathProblem(raw: string): string | undefined {
  if (raw === "/dev/null") return undefined;
  // eslint-disable-next-line no-control-regex -- control characters are what is being rejected
  if (/[\x00-\x1f\x7f]/.test(raw))
    return `path '${JSON.stringify(raw)}' contains control characters`;
  // A direction override or a zero-width character makes the path read as another one.
  if (!isPrintable(raw))
    return `path '${JSON.stringify(raw)}' contains invisible or direction-changing characters`;
  if (raw.startsWith("/")) return `path '${raw}' is absolute`;
  if (raw.includes("\\")) return `path '${raw}' contains a backslash`;
  if (raw.split("/").includes("..")) return `path '${raw}' has a '..' component`;
  const rest = raw.slice(raw.indexOf("/") + 1);
  if (!raw.includes("/") || rest === "") return `path '${raw}' is not in a/<path> form (-p1)`;
  if (rest.startsWith("/")) return `path '${raw}' is absolute after -p1`;
  return undefined;
}

/**
 * Why a file's header paths would not apply with `patch -p1` to the file
 * they name: without the `a/` and `b/` prefixes -p1 strips a real directory,
 * and two different names would be a rename, which a live patch cannot do.
 */
export function prefixProblem(df: DiffFile): string | undefined {
  const raw = df.rawPaths ?? [];
  for (const [at, prefix] of [
    [0, "a/"],
    [1, "b/"],
  ] as const) {
    const p = raw[at];
    if (p !== undefined && p !== "/dev/null" && !p.startsWith(prefix)) {
      return `path '${p}' does not start with '${prefix}': patch -p1 would strip '${p.split("/")[0]}/' instead; regenerate it with git diff or diff -up a/PATH b/PATH`;
    }
  }
  if (df.oldPath !== undefined && df.newPath !== undefined && df.oldPath !== df.newPath) {
    return `'${df.oldPath}' and '${df.newPath}' must name the same file (a rename cannot be live-patched)`;
  }
  return undefined;
}

/** The patch text when the file is usable, and every problem found in it. */
export function checkPatchFile(
  entry: RepoEntry,
  limit = sizeLimitFor(entry.path),
): { text?: string; files?: DiffFile[]; problems: Problem[] } {
  const file = entry.path;
  const problem = (code: Problem["code"], message: string, path = ""): Problem => ({
    file,
    path,
    code,
    message,
  });
  if (entry.size > limit)
    return { problems: [problem("FILE_TOO_LARGE", tooLargeMessage(entry.size, limit))] };
  if (entry.text === undefined || entry.text.includes("\0")) {
    return { problems: [problem("PATCH_INVALID", "is a binary file, not a text diff")] };
  }
  // Kernel sources use LF; a CRLF diff would not apply, and its paths would end in '\r'.
  if (entry.text.includes("\r\n")) {
    return { problems: [problem("PATCH_INVALID", "has CRLF line endings; write it with LF")] };
  }
  let diffFiles;
  try {
    diffFiles = parseDiff(entry.text);
  } catch (e) {
    if (!isLpctlError(e, "PATCH_INVALID")) throw e;
    const line = e.details.line;
    const message = e.message.replace(/^line \d+: /, "");
    return {
      problems: [problem("PATCH_INVALID", message, typeof line === "number" ? `line ${line}` : "")],
    };
  }
  const problems: Problem[] = [];
  for (const df of diffFiles) {
    const where = df.headerLine === undefined ? "" : `line ${df.headerLine}`;
    if (df.binary) {
      problems.push(
        problem(
          "PATCH_INVALID",
          `binary change to '${df.path}': only source can be live-patched`,
          where,
        ),
      );
    }
    const reasons = new Set(
      (df.rawPaths ?? [df.path]).map(diffPathProblem).filter((r) => r !== undefined),
    );
    for (const reason of reasons) problems.push(problem("PATH_UNSAFE", reason, where));
    const prefix = reasons.size === 0 ? prefixProblem(df) : undefined;
    if (prefix !== undefined) problems.push(problem("PATCH_INVALID", prefix, where));
  }
  return problems.length > 0 ? { problems } : { text: entry.text, files: diffFiles, problems };
}
