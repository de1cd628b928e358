/**
 * Reads a repository checkout into a RepoSnapshot and checks it. The only
 * file-system side of the repository model: it never follows a symlink (a
 * symlink is recorded and reported, so a pull request cannot point the build
 * at a file outside the tree), never opens special files (a FIFO would
 * block), and never reads more than a file's size limit.
 */
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { LpctlError } from "../../core/errors.js";
import { checkRepository, type RepositoryCheck } from "../../core/repo-model.js";
import { sizeLimitFor, type RepoEntry, type RepoSnapshot } from "../../core/repo-snapshot.js";
import { readFileEntry } from "./read-entry.js";

/** Directories the model reads; everything else in the checkout is ignored. */
const ROOTS = ["kernels", "patches"];
/** kernels/<id>/<file> is depth 3; one more level is recorded so misplaced files are reported. */
const MAX_DEPTH = 4;
/** A repository with more entries than this is not a patch repository. */
const MAX_ENTRIES = 20_000;

/** Reads kernels/** and patches/** under `dir` within the size limits. */
export async function readRepoSnapshot(dir: string): Promise<RepoSnapshot> {
  const st = await lstat(dir).catch((e: unknown) => {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such directory" : String(e);
    throw new LpctlError("REPO_INVALID", `cannot read repository '${dir}': ${why}`, { cause: e });
  });
  if (!st.isDirectory()) throw new LpctlError("REPO_INVALID", `'${dir}' is not a directory`);
  const entries: RepoEntry[] = [];
  for (const root of ROOTS) await walk(dir, root, 1, entries);
  return entries;
}

/** Reads and checks the repository at `dir`. */
export async function loadRepository(dir: string): Promise<RepositoryCheck> {
  return checkRepository(await readRepoSnapshot(dir));
}

async function walk(base: string, rel: string, depth: number, out: RepoEntry[]): Promise<void> {
  const abs = join(base, rel);
  const st = await lstat(abs).catch((e: unknown) => {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  });
  if (st === undefined) return;
  if (out.length >= MAX_ENTRIES) {
    throw new LpctlError(
      "REPO_INVALID",
      `more than ${MAX_ENTRIES} files under kernels/ and patches/`,
    );
  }
  if (st.isSymbolicLink()) {
    out.push({ path: rel, kind: "symlink", size: 0 });
  } else if (st.isDirectory()) {
    out.push({ path: rel, kind: "dir", size: 0 });
    if (depth >= MAX_DEPTH) return;
    const names = (await readdir(abs)).sort();
    for (const name of names) await walk(base, `${rel}/${name}`, depth + 1, out);
  } else if (st.isFile()) {
    out.push(await readFileEntry(abs, rel, st.size, sizeLimitFor(rel)));
  } else {
    out.push({ path: rel, kind: "other", size: 0 });
  }
}
