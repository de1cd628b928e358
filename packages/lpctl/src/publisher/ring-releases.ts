/**
 * The content of every ring for the version being published. The first
 * ring is the release itself. A later ring at `release: N` runs the first
 * ring's entries of vN, taken only from vN's manifest verified with the
 * publisher's own keys, with module bytes checked against what it signed
 * (carryOver); its modules are published again in this release, so the
 * latest release serves every ring.
 */
import { LpctlError } from "../core/errors.js";
import type { Manifest, ManifestKernel } from "../core/manifest.js";
import { ringManifest } from "../core/ring-manifest.js";
import type { PlanTree } from "../core/plan-tree.js";
import { laterRings, type RingsFile } from "../core/rings.js";
import { moduleless, withWithdrawn } from "../core/withdrawn.js";
import { carryOver, type Carried, type ModuleSource } from "./carry-over.js";

/** How far back a later ring looks for a module without a withdrawn patch. */
export const WITHDRAW_LOOKBACK = 20;

/** Where a later ring's release is read from. */
export interface RingSource {
  /** manifest.json of release v<n>, verified with the publisher's own keys; undefined when there is no v<n>. */
  release(
    n: number,
  ): Promise<{ manifest: Manifest; modules: ModuleSource; where: string } | undefined>;
}

export interface RingRelease {
  manifest: Manifest;
  /** Module bytes of entries the release itself does not hold. */
  modules: ReadonlyMap<string, Uint8Array>;
}

export interface RingsInput {
  file: RingsFile;
  source: RingSource;
}

/**
 * One manifest per ring, labelled with its name, for the release `first`.
 * With `head` (the published commit's tree), a later ring never keeps a
 * patch the repository withdrew: such an entry falls back to the newest
 * earlier release's entry for that kernel whose patches are all still
 * active, else to an entry without a module, so hosts of every ring leave a
 * pulled-back module (the version still goes up: it is this release's).
 */
export async function ringReleases(
  first: Manifest,
  input: RingsInput,
  head?: PlanTree,
): Promise<RingRelease[]> {
  const [firstRing] = input.file.rings;
  if (firstRing === undefined) return [];
  const out: RingRelease[] = [
    { manifest: ringManifest(first, firstRing.name, first.kernels), modules: new Map() },
  ];
  const byRelease = new Map<number, Promise<Carried>>();
  for (const ring of laterRings(input.file)) {
    // rollback of the ring order: a ring runs only what was released, or
    // this release itself (a repository's first publish with its rings set).
    if (ring.release > first.version)
      throw new LpctlError(
        "RING_RELEASE_UNKNOWN",
        `ring '${ring.name}' names release v${ring.release}, but this publish issues v${first.version}; a ring can only run a release that was published before (or this one)`,
      );
    if (ring.release === first.version) {
      out.push({ manifest: ringManifest(first, ring.name, first.kernels), modules: new Map() });
      continue;
    }
    if (!byRelease.has(ring.release)) byRelease.set(ring.release, carried(input.source, ring));
    const { entries, modules } = await (byRelease.get(ring.release) as Promise<Carried>);
    if (head === undefined) {
      out.push({ manifest: ringManifest(first, ring.name, entries), modules });
      continue;
    }
    const kept: ManifestKernel[] = [];
    const bytes = new Map(modules);
    for (const entry of entries) {
      if (active(entry, head)) {
        kept.push(entry);
        continue;
      }
      const why = reasons(entry, head);
      const older = await goodEntry(input.source, entry, ring.release, head);
      if (older === undefined) {
        kept.push(moduleless(entry, why, first.version));
        continue;
      }
      kept.push(withWithdrawn(older.entry, entry, why, first.version));
      for (const [file, b] of older.modules) bytes.set(file, b);
    }
    out.push({ manifest: ringManifest(first, ring.name, kept), modules: bytes });
  }
  return out;
}

async function carried(
  source: RingSource,
  ring: { name: string; release: number },
): Promise<Carried> {
  const found = await source.release(ring.release);
  if (found === undefined)
    throw new LpctlError(
      "RING_RELEASE_UNKNOWN",
      `ring '${ring.name}' names release v${ring.release}, which this publisher did not publish (no release v${ring.release}); name a release it published`,
    );
  const { manifest, modules, where } = found;
  return carryOver(
    manifest,
    manifest.kernels.map((k) => k.target),
    modules,
    where,
  );
}

/** Patch `id` is in the tree, not withdrawn, and still targets `target` (when the tree has it). */
const activePatch = (id: string, target: string, head: PlanTree): boolean => {
  const targets = head.patches.get(id);
  if (targets === undefined || head.withdrawn.has(id)) return false;
  return !head.targets.includes(target) || targets.includes(target);
};

/** Every patch of `entry` is still in the tree, not withdrawn, and still targets its kernel. */
function active(entry: ManifestKernel, head: PlanTree): boolean {
  return entry.patches.every((p) => activePatch(p.id, entry.target, head));
}

/**
 * Why each patch leaves a later ring's entry: a withdrawn one gives its own
 * reason; an active one shared the module of the withdrawn ones, and says so
 * rather than passing for withdrawn itself.
 */
function reasons(entry: ManifestKernel, head: PlanTree): Pick<PlanTree, "withdrawn"> {
  const gone = entry.patches.filter((p) => !activePatch(p.id, entry.target, head)).map((p) => p.id);
  const withdrawn = new Map(head.withdrawn);
  for (const p of entry.patches)
    if (activePatch(p.id, entry.target, head))
      withdrawn.set(
        p.id,
        `left this ring with the module that also carried ${gone.join(", ")}; a later promotion brings it back`,
      );
  return { withdrawn };
}

/**
 * The newest first-ring entry for `entry`'s kernel in a release before
 * `release` whose patches are all active, with its module checked against
 * that release's signature (carryOver); undefined when none is found within
 * WITHDRAW_LOOKBACK releases.
 */
async function goodEntry(
  source: RingSource,
  entry: ManifestKernel,
  release: number,
  head: PlanTree,
): Promise<(Carried & { entry: ManifestKernel }) | undefined> {
  for (let n = release - 1; n >= Math.max(1, release - WITHDRAW_LOOKBACK); n--) {
    const found = await source.release(n);
    const k = found?.manifest.kernels.find(
      (e) => e.target === entry.target && e.buildId === entry.buildId,
    );
    if (found === undefined || k?.module === undefined || !active(k, head)) continue;
    const carried = await carryOver(found.manifest, [k.target], found.modules, found.where);
    return { ...carried, entry: k };
  }
  return undefined;
}
