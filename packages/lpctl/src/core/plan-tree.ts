/**
 * The part of a repository tree the build plan needs: which kernel targets
 * exist and which targets each patch resolves to. Built from the tree's paths
 * and the patches' patch.yaml texts, so the CLI (git) and the app (the
 * contents API) read it their own way and share the rule. Pure.
 */
import { resolveKernelRefs } from "./kernel-refs.js";
import { idProblem } from "./ids.js";
import { isWithdrawn } from "./patch-meta.js";
import type { RepoSnapshot } from "./repo-snapshot.js";
import { parseYaml } from "./yaml-input.js";

export interface PlanTree {
  /** Target ids: every `kernels/<id>/` holding a target.yaml, sorted. */
  targets: string[];
  /** Patch id → the target ids its `kernels` entries resolve to (none when withdrawn). */
  patches: Map<string, string[]>;
  /** Withdrawn patch id → its `withdrawn.reason`. */
  withdrawn: Map<string, string>;
  /**
   * Patch ids whose directory holds no `*.patch` file: notLivePatchable
   * records only. They build nothing, so they keep no target patched.
   */
  recordsOnly?: Set<string>;
}

/** Patch ids whose patch.yaml `paths` holds, e.g. for reading their text. */
export function patchIdsIn(paths: readonly string[]): string[] {
  return distinctIds(paths, "patches", "patch.yaml");
}

/** The plan's view of a checkout read from disk (`lpctl publish --checkout`). */
export function snapshotPlanTree(snapshot: RepoSnapshot): PlanTree {
  const paths = snapshot.filter((e) => (e.kind ?? "file") === "file").map((e) => e.path);
  const texts = new Map<string, string>();
  for (const e of snapshot) {
    const id = patchIdsIn([e.path])[0];
    if (id !== undefined && e.text !== undefined) texts.set(id, e.text);
  }
  return planTree(paths, texts);
}

/** The plan's view of one tree: `paths` lists its files, `patchYaml` the patch.yaml texts by patch id. */
export function planTree(
  paths: readonly string[],
  patchYaml: ReadonlyMap<string, string>,
): PlanTree {
  const targets = distinctIds(paths, "kernels", "target.yaml");
  const patches = new Map<string, string[]>();
  const withdrawn = new Map<string, string>();
  for (const id of patchIdsIn(paths)) {
    const text = patchYaml.get(id);
    const value = text === undefined ? null : parseYaml("patch.yaml", text).value;
    const reason = withdrawnReason(value);
    if (reason !== undefined) withdrawn.set(id, reason);
    patches.set(id, resolveKernelRefs(id, kernelRefs(value), targets).targets);
  }
  const withFiles = new Set(
    paths
      .map((p) => p.split("/"))
      .filter(
        (parts) => parts.length === 3 && parts[0] === "patches" && parts[2]?.endsWith(".patch"),
      )
      .map((parts) => parts[1] ?? ""),
  );
  const recordsOnly = new Set([...patches.keys()].filter((id) => !withFiles.has(id)));
  return { targets, patches, withdrawn, recordsOnly };
}

/**
 * The `kernels` entries of a patch.yaml, leniently: a malformed file is
 * reported by validate and lint; for planning it simply targets nothing,
 * like a withdrawn patch.
 */
function kernelRefs(value: unknown): string[] {
  if (value === null || typeof value !== "object" || !("kernels" in value)) return [];
  if (isWithdrawn(value)) return [];
  const refs = value.kernels;
  return Array.isArray(refs) ? refs.filter((r): r is string => typeof r === "string") : [];
}

function withdrawnReason(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || !isWithdrawn(value)) return undefined;
  const w = (value as { withdrawn: unknown }).withdrawn;
  const reason = typeof w === "object" && w !== null && "reason" in w ? w.reason : undefined;
  return typeof reason === "string" ? reason : "withdrawn";
}

function distinctIds(paths: readonly string[], root: string, file: string): string[] {
  const ids = new Set<string>();
  for (const p of paths) {
    const parts = p.split("/");
    if (parts.length === 3 && parts[0] === root && parts[2] === file && !idProblem(parts[1]))
      ids.add(parts[1]);
  }
  return [...ids].sort();
}
