/**
 * Validates and lints what a pull request changes, read at its head commit
 * through the API: the same validate model and diff-only lint `lpctl
 * validate` and `lpctl lint` run on a checkout.
 */
import type { Finding } from "@livepatch-gitops/lpctl/core/lint/finding";
import { lintEntry } from "@livepatch-gitops/lpctl/core/lint/lint-entry";
import type { PatchStyle } from "@livepatch-gitops/lpctl/core/lint/patch-style";
import type { NotLivePatchable } from "@livepatch-gitops/lpctl/core/not-live-patchable";
import type { Problem } from "@livepatch-gitops/lpctl/core/problem";
import { checkRepository } from "@livepatch-gitops/lpctl/core/repo-model";
import { sizeLimitFor, type RepoEntry } from "@livepatch-gitops/lpctl/core/repo-snapshot";
import { findingAnnotations } from "../annotations.js";
import type { Annotation } from "../checks.js";
import { plain } from "../markdown.js";
import { readFileAt } from "./repo-reader.js";
import type { Octokit, RepoRef } from "./types.js";

export interface PrLint {
  findings: Finding[];
  problems: Problem[];
  annotations: Annotation[];
  errors: number;
  warnings: number;
  /** Not-live-patchable records of the touched patches, for the PR comment. */
  records: { patch: string; targets: string[]; record: NotLivePatchable }[];
}

/** Lints every changed patch file and validates every touched target and patch directory at `headSha`. */
export async function lintPullRequest(
  octokit: Octokit,
  ref: RepoRef,
  headSha: string,
  changed: readonly string[],
  headPaths: readonly string[],
  /** The repository's patch style (.github/livepatch.yml on the default branch). */
  style?: PatchStyle,
): Promise<PrLint> {
  const touchedDirs = new Set(
    changed
      .filter((p) => /^(?:kernels|patches)\/[^/]+\//.test(p))
      .map((p) => p.split("/").slice(0, 2).join("/")),
  );
  // Every patch.yaml too when a patch is touched: a CVE it declares may
  // conflict with another patch's for the same kernel (cve-records.ts).
  const anyPatch = [...touchedDirs].some((d) => d.startsWith("patches/"));
  const wanted = headPaths.filter(
    (p) =>
      touchedDirs.has(p.split("/").slice(0, 2).join("/")) ||
      (anyPatch && /^patches\/[^/]+\/patch\.yaml$/.test(p)),
  );
  const entries = new Map<string, RepoEntry>();
  await Promise.all(
    wanted.map(async (path) => {
      const f = await readFileAt(octokit, ref, path, headSha, sizeLimitFor(path));
      if (f)
        entries.set(path, {
          path,
          size: f.size,
          ...(f.text === undefined ? {} : { text: f.text }),
        });
    }),
  );
  // Every target directory is listed so patches resolve against all targets;
  // problems are kept only for what the PR touches.
  const dirs: RepoEntry[] = [
    ...new Set(headPaths.map((p) => p.split("/").slice(0, 2).join("/"))),
  ].map((path) => ({
    path,
    kind: "dir",
    size: 0,
  }));
  const snapshot = [
    { path: "kernels", kind: "dir" as const, size: 0 },
    { path: "patches", kind: "dir" as const, size: 0 },
    ...dirs,
    ...[...entries.values()].sort((a, b) => (a.path < b.path ? -1 : 1)),
  ];
  const checked = checkRepository(snapshot);
  const problems = checked.problems.filter(
    (p) => touchedDirs.has(p.file.split("/").slice(0, 2).join("/")) && !p.file.endsWith(".patch"),
  );
  const patchFiles = changed
    .filter((p) => p.startsWith("patches/") && p.endsWith(".patch") && entries.has(p))
    .sort();
  const findings = patchFiles.flatMap((p) =>
    lintEntry(entries.get(p) as RepoEntry, undefined, style),
  );
  const texts = new Map(patchFiles.map((p) => [p, entries.get(p)?.text ?? ""]));
  const annotations: Annotation[] = [
    ...problems.map((p) => ({
      path: p.file,
      start_line: 1,
      end_line: 1,
      annotation_level: "failure" as const,
      message: plain(p.path ? `${p.path}: ${p.message}` : p.message),
      title: p.code,
    })),
    ...findingAnnotations(findings, texts),
  ];
  const errors = problems.length + findings.filter((f) => f.severity === "error").length;
  const records = checked.patches
    .filter((p) => touchedDirs.has(`patches/${p.id}`))
    .flatMap((p) =>
      p.notLivePatchable.map((record) => ({ patch: p.id, targets: p.targets, record })),
    );
  return {
    findings,
    problems,
    annotations,
    errors,
    warnings: findings.filter((f) => f.severity === "warning").length,
    records,
  };
}
