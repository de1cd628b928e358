/**
 * Pulling a release back: what a manifest entry says about the patches that
 * left its target's module. A rebuilt entry lists what left since the
 * previous signed entry (and what had left before and did not come back); a
 * target no active patch targets keeps an entry without a module, so hosts
 * running the old one unload it instead of keeping it live. Pure.
 */
import type { Manifest, ManifestKernel, ManifestWithdrawn } from "./manifest.js";
import { unpatchedTargets } from "./plan.js";
import type { PlanTree } from "./plan-tree.js";

/** Why a patch left when its patch.yaml gives no `withdrawn.reason` (deleted, or no longer targets the kernel). */
export const LEFT_REASON = "removed from the repository or no longer targets this kernel";

/** `entry` with `withdrawn` naming what left it since `previous` (same target), first in `version`. */
export function withWithdrawn(
  entry: ManifestKernel,
  previous: ManifestKernel | undefined,
  head: Pick<PlanTree, "withdrawn">,
  version: number,
): ManifestKernel {
  const kept = new Set(entry.patches.map((p) => p.id));
  const earlier = (previous?.withdrawn ?? []).filter((w) => !kept.has(w.id));
  const known = new Set(earlier.map((w) => w.id));
  const left: ManifestWithdrawn[] = (previous?.patches ?? [])
    .filter((p) => !kept.has(p.id) && !known.has(p.id))
    .map((p) => ({
      id: p.id,
      title: p.title,
      cves: [...p.cves],
      reason: head.withdrawn.get(p.id) ?? LEFT_REASON,
      version,
    }));
  const withdrawn = [...earlier, ...left].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: ManifestKernel = { ...entry };
  delete out.withdrawn;
  return withdrawn.length > 0 ? { ...out, withdrawn } : out;
}

/** Targets of `previous` that have a module but no active patch in `head`: the next release withdraws them. */
export function withdrawnTargets(previous: Manifest | undefined, head: PlanTree): string[] {
  const unpatched = new Set(unpatchedTargets(head));
  return (previous?.kernels ?? [])
    .filter((k) => k.module !== undefined && unpatched.has(k.target))
    .map((k) => k.target);
}

/** The entry for a target that no active patch targets any more: no module, every patch withdrawn. */
export function moduleless(
  previous: ManifestKernel,
  head: Pick<PlanTree, "withdrawn">,
  version: number,
): ManifestKernel {
  const entry: ManifestKernel = {
    target: previous.target,
    release: previous.release,
    arch: previous.arch,
    buildId: previous.buildId,
    ...(previous.image ? { image: previous.image } : {}),
    patches: [],
  };
  return withWithdrawn(entry, previous, head, version);
}
