/**
 * What one `lpctl build` works on: the target and the patches for it, read
 * through the repository model (the same checks `lpctl validate` runs).
 */
import { LpctlError } from "../../core/errors.js";
import type { LivePatch } from "../../core/patch-meta.js";
import { formatProblem, type Problem } from "../../core/problem.js";
import type { KernelTarget } from "../../core/target.js";
import { loadRepository } from "../repo/read-repo.js";

export interface BuildInputs {
  target: KernelTarget;
  patches: LivePatch[];
  /** Repository problems outside this build (reported, not fatal). */
  warnings: string[];
  /** Patch files validate refuses among the patches the build would take (fatal for a build). */
  refused: Problem[];
}

/**
 * Without `patchIds`: the cumulative set, every patch whose targets include
 * the target, ordered by patch id (the model already orders them). A
 * directory of notLivePatchable records only (no *.patch) builds nothing.
 */
export function selectPatches(
  all: readonly LivePatch[],
  targetId: string,
  patchIds?: readonly string[],
): LivePatch[] {
  if (patchIds === undefined || patchIds.length === 0) {
    return all
      .filter((p) => p.targets.includes(targetId) && p.files.length > 0)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }
  return patchIds.map((id) => {
    const p = all.find((x) => x.id === id);
    if (!p)
      throw new LpctlError(
        "PATCH_INVALID",
        `no valid patch '${id}' in patches/ (run lpctl validate)`,
      );
    if (p.withdrawn)
      throw new LpctlError(
        "PATCH_INVALID",
        `patch '${id}' is withdrawn (${p.withdrawn.reason}): it is built into no module; drop withdrawn: from its patch.yaml to use it again`,
      );
    // A module for a kernel the patch was never reviewed for is not something to build.
    if (!p.targets.includes(targetId)) {
      throw new LpctlError(
        "PATCH_INVALID",
        `patch '${id}' does not list kernel '${targetId}' in its kernels: (${p.kernels.join(", ")})`,
      );
    }
    if (p.files.length === 0)
      throw new LpctlError(
        "PATCH_INVALID",
        `patch '${id}' holds only notLivePatchable records and no *.patch file: there is nothing to build; leave it out of --patch`,
      );
    return p;
  });
}

/**
 * Patch files validate refuses (a -p0 path, sides that name different files,
 * an unsafe path, a malformed hunk) in the patches this build would take:
 * leaving such a patch out would build a module without it, and patch(1)
 * must never apply one the lint refused, so the build stops instead.
 */
export function refusedPatchFiles(
  problems: readonly Problem[],
  patchIds?: readonly string[],
): Problem[] {
  return problems.filter((p) => {
    const id = /^patches\/([^/]+)\/[^/]+\.patch$/.exec(p.file)?.[1];
    return (
      id !== undefined && (patchIds === undefined || patchIds.length === 0 || patchIds.includes(id))
    );
  });
}

/** A build stops on a refused patch file: leaving it out would build a green module without it. */
export function refuseInvalidPatchFiles(refused: readonly Problem[]): void {
  if (refused.length === 0) return;
  throw new LpctlError(
    "PATCH_INVALID",
    `the build does not leave out a patch file validate refuses: ${refused.map(formatProblem).join("; ")}; fix it (lpctl validate lists every problem) or remove it`,
    { details: { file: refused[0]?.file } },
  );
}

export async function loadBuildInputs(
  repoDir: string,
  targetId: string,
  patchIds?: readonly string[],
): Promise<BuildInputs> {
  const repo = await loadRepository(repoDir);
  const target = repo.targets.find((t) => t.id === targetId);
  if (!target) {
    const own = repo.problems.filter((p) => p.file.startsWith(`kernels/${targetId}/`));
    const known = repo.targets.map((t) => t.id).join(", ") || "none";
    throw new LpctlError(
      "TARGET_UNKNOWN",
      own.length > 0
        ? `kernel target '${targetId}' is invalid: ${own.map(formatProblem).join("; ")}`
        : `no kernel target '${targetId}' in ${repoDir}/kernels (known: ${known})`,
      { details: { target: targetId } },
    );
  }
  return {
    target,
    patches: selectPatches(repo.patches, targetId, patchIds),
    warnings: repo.problems.map(formatProblem),
    refused: refusedPatchFiles(repo.problems, patchIds),
  };
}
