/**
 * Checks one `*.patch` file of a patch directory: size, text, unified-diff
 * syntax and the paths it touches. The diff is applied with `patch -p1` on a
 * build runner (kpatch-build's own apply, and the per-object engine's), so
 * every style -p1 reads the same way is accepted (git, diff -Nupr, quilt);
 * a path that is absolute, climbs out with `..` or carries control
 * characters could write outside the kernel tree.
 */
import { parseDiff, stripOne, type DiffFile } from "./diff.js";
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
  if (!raw.includes("/") || rest === "")
    return `path '${raw}' has nothing left after patch -p1 strips its first component; name the file with a leading directory, as git diff (a/PATH b/PATH) or diff -Nupr (src.orig/PATH src/PATH) write it`;
  if (rest.startsWith("/")) return `path '${raw}' is absolute after -p1`;
  return undefined;
}

/**
 * Why a file's header paths would not apply with `patch -p1` (as kpatch-build
 * and both build engines apply them) to the one file they name. Any first
 * component is stripped (`a/`, `src.orig/`, `linux-6.1/`); what is left must
 * be the same file on every side, and must not look like a -p0 path.
 */
export function prefixProblem(df: DiffFile): string | undefined {
  const raw = (df.rawPaths ?? []).filter((p) => p !== "/dev/null");
  const stripped = raw.map((p) => stripOne(p) ?? p);
  const other = stripped.findIndex((p) => p !== stripped[0]);
  if (other !== -1) {
    return `'${raw[0]}' and '${raw[other]}' name different files after patch -p1 strips their first component ('${stripped[0]}' and '${stripped[other]}'); both sides must name the same file (a rename cannot be live-patched)`;
  }
  const p0 = raw.find(looksUnprefixed);
  if (p0 !== undefined) {
    return `path '${p0}' has no leading directory: patch -p1 would strip '${p0.split("/")[0]}/' and patch '${stripOne(p0) ?? ""}', which is not in a kernel tree; regenerate it with git diff (not --no-prefix) or diff -Nupr src.orig/ src/`;
  }
  return undefined;
}

/** Top-level directories of a Linux tree. */
const TREE_DIRS = new Set(
  "arch block certs crypto Documentation drivers fs include init io_uring ipc kernel lib LICENSES mm net rust samples scripts security sound tools usr virt".split(
    " ",
  ),
);
const TREE_FILES = new Set("COPYING CREDITS Kbuild Kconfig MAINTAINERS Makefile README".split(" "));

/** `fs/proc/x.c` written without a prefix: -p1 would leave `proc/x.c`, which no kernel tree has at its top. */
function looksUnprefixed(raw: string): boolean {
  const [first = "", second = "", ...more] = raw.split(/\/+/);
  if (!TREE_DIRS.has(first)) return false;
  return more.length > 0 ? !TREE_DIRS.has(second) : !TREE_FILES.has(second);
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
