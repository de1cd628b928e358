/** Snapshots of this repository with one entry changed, for pure model tests. */
import { readRepoSnapshot } from "../../../src/builder/repo/read-repo.js";
import { formatProblem } from "../../../src/core/problem.js";
import {
  checkRepository,
  type RepoEntry,
  type RepositoryCheck,
} from "../../../src/core/repo-model.js";
import { REPO_ROOT } from "@livepatch-gitops/test-support/repo-fixture";

export const PATCH_YAML = "patches/cmdline-banner/patch.yaml";
export const PATCH_FILE = "patches/cmdline-banner/0001-cmdline-banner.patch";
export const TARGET_YAML = "kernels/debian-6.1-lab/target.yaml";
export const FRAGMENT = "kernels/debian-6.1-lab/config.fragment";

let real: RepoEntry[] | undefined;

/** The real snapshot, read once per test file. */
export async function realSnapshot(): Promise<RepoEntry[]> {
  real ??= [...(await readRepoSnapshot(REPO_ROOT))];
  return real;
}

function loaded(): RepoEntry[] {
  if (!real) throw new Error("call realSnapshot() in beforeAll first");
  return real;
}

export function file(path: string, text: string): RepoEntry {
  return { path, size: Buffer.byteLength(text), text };
}

/** The real snapshot with `path` replaced (or removed when `entry` is null), plus `extra`. */
export function variant(
  path: string | undefined,
  entry: RepoEntry | null,
  ...extra: RepoEntry[]
): RepositoryCheck {
  const base = loaded().filter((e) => e.path !== path);
  return checkRepository([...base, ...(entry ? [entry] : []), ...extra]);
}

export function textOf(path: string): string {
  const e = loaded().find((x) => x.path === path);
  if (e?.text === undefined) throw new Error(`no text for ${path}`);
  return e.text;
}

/** "CODE file: path: message" per problem. */
export function lines(check: RepositoryCheck): string[] {
  return check.problems.map((p) => `${p.code} ${formatProblem(p)}`);
}
