/**
 * Test repositories: a copy of this project's real kernels/ and patches/ in a
 * temporary directory, which a test then breaks in one way.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The root of this checkout (its kernels/ and patches/ are the known-good example). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

const made: string[] = [];

/** A fresh copy of the real repository content; removed by `cleanupRepos`. */
export async function copyRealRepo(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "lpctl-repo-"));
  made.push(dir);
  for (const root of ["kernels", "patches"]) {
    await cp(join(REPO_ROOT, root), join(dir, root), { recursive: true });
  }
  return dir;
}

export async function cleanupRepos(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}
