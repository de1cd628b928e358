/**
 * The content of every ring for the version being published. The first
 * ring is the release itself. A later ring at `release: N` runs the first
 * ring's entries of vN, taken only from vN's manifest verified with the
 * publisher's own keys, with module bytes checked against what it signed
 * (carryOver); its modules are published again in this release, so the
 * latest release serves every ring.
 */
import { LpctlError } from "../core/errors.js";
import type { Manifest } from "../core/manifest.js";
import { ringManifest } from "../core/ring-manifest.js";
import { laterRings, type RingsFile } from "../core/rings.js";
import { carryOver, type Carried, type ModuleSource } from "./carry-over.js";

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

/** One manifest per ring, labelled with its name, for the release `first`. */
export async function ringReleases(first: Manifest, input: RingsInput): Promise<RingRelease[]> {
  const [head] = input.file.rings;
  if (head === undefined) return [];
  const out: RingRelease[] = [
    { manifest: ringManifest(first, head.name, first.kernels), modules: new Map() },
  ];
  const byRelease = new Map<number, Promise<Carried>>();
  for (const ring of laterRings(input.file)) {
    // rollback of the ring order: a ring runs only what was already released.
    if (ring.release >= first.version)
      throw new LpctlError(
        "RING_RELEASE_UNKNOWN",
        `ring '${ring.name}' names release v${ring.release}, but this publish issues v${first.version}; a ring can only run a release that was published before`,
      );
    if (!byRelease.has(ring.release)) byRelease.set(ring.release, carried(input.source, ring));
    const { entries, modules } = await (byRelease.get(ring.release) as Promise<Carried>);
    out.push({ manifest: ringManifest(first, ring.name, entries), modules });
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
