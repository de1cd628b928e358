/**
 * Reads the patch files `lpctl lint` is given, the way the repository reader
 * does: no symlinks, no special files (a FIFO would block), never more than
 * the 8 MiB limit. A file that cannot be read becomes a finding for that
 * file, so the other files' findings are not lost.
 */
import { lstat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { entryFromBytes, readFileEntry } from "../../builder/repo/read-entry.js";
import type { Finding } from "../../core/lint/finding.js";
import { problemFinding } from "../../core/lint/problem-finding.js";
import { SIZE_LIMITS, type RepoEntry } from "../../core/repo-snapshot.js";

export type LintInput = { entry: RepoEntry } | { finding: Finding };

const unreadable = (path: string, message: string): LintInput => ({
  finding: problemFinding(path, { path: "", message }),
});

/** Reads stdin up to one byte past the limit. */
async function readStdin(stdin: Readable): Promise<RepoEntry> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of stdin) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(b);
    n += b.length;
    if (n > SIZE_LIMITS.patch) break;
  }
  return entryFromBytes("-", Buffer.concat(chunks), SIZE_LIMITS.patch);
}

/** One argument of `lpctl lint`: a path, or `-` for stdin. */
export async function readLintInput(arg: string, stdin: Readable): Promise<LintInput> {
  if (arg === "-") return { entry: await readStdin(stdin) };
  let st;
  try {
    st = await lstat(arg);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return unreadable(
      arg,
      code === "ENOENT" ? "no such file; check the path" : `cannot read it (${code ?? String(e)})`,
    );
  }
  if (st.isSymbolicLink())
    return unreadable(
      arg,
      "is a symlink; lint (like validate) reads only regular files, pass the file it points to",
    );
  if (!st.isFile()) return unreadable(arg, "is not a regular file; pass a patch file");
  try {
    return { entry: await readFileEntry(arg, arg, st.size, SIZE_LIMITS.patch) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return unreadable(arg, `cannot read it (${code ?? String(e)})`);
  }
}
