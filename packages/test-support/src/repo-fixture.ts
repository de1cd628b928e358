/**
 * Test repositories: a copy of this project's real kernels/ and patches/ in a
 * temporary directory, which a test then breaks in one way.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
// The root of this checkout: its kernels/ and patches/ are the known-good example.
import { REPO_ROOT } from "./repo-root.js";

export { REPO_ROOT };

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
