/**
 * Rules that bind a verified manifest to where and for whom it was fetched.
 * A valid signature only says the publisher wrote the file, not that it is
 * the file the reader asked for.
 */
import { LpctlError } from "../errors.js";
import type { Manifest } from "../manifest.js";

/**
 * mix-and-match: kernel-<buildId>.json must hold that kernel's entry and no
 * other, so a mirror cannot serve another kernel's (validly signed) file in
 * its place and hold a host on an old module with no error.
 */
export function checkKernelBinding(manifest: Manifest, buildId: string, name: string): void {
  const others = manifest.kernels.filter((k) => k.buildId !== buildId);
  if (manifest.kernels.length === 0 || others.length > 0) {
    const held = manifest.kernels.map((k) => k.buildId).join(", ") || "no entry";
    throw new LpctlError(
      "MANIFEST_WRONG_KERNEL",
      `${name} was fetched for build-id ${buildId} but holds ${held}; the source serves another kernel's manifest under this name`,
      { details: { name, buildId, held: manifest.kernels.map((k) => k.buildId) } },
    );
  }
}

/**
 * ring binding: a host in a ring accepts only its ring's manifests. Every
 * ring's manifest of a release carries the same version and a valid
 * signature, so without this a source could serve the first ring's newer
 * module to a host held back in a later ring (or a ring's to an unringed
 * host).
 */
export function checkRing(manifest: Manifest, ring: string | undefined, name: string): void {
  if (manifest.ring === ring) return;
  const held =
    manifest.ring === undefined ? "no ring (the unringed files)" : `ring '${manifest.ring}'`;
  const wanted = ring === undefined ? "no ring" : `ring '${ring}'`;
  throw new LpctlError(
    "MANIFEST_WRONG_RING",
    `${name} is for ${held}, but this host is in ${wanted}; the source serves another ring's manifest under this name (check the source, or the host's ring in its config)`,
    { details: { name, ring: manifest.ring ?? null, hostRing: ring ?? null } },
  );
}

/** repository pinning: a key shared by several repositories signs for each of them. */
export function checkRepository(manifest: Manifest, repository: string, name: string): void {
  if (manifest.repository !== repository) {
    throw new LpctlError(
      "MANIFEST_REPOSITORY_MISMATCH",
      `${name} is for repository ${manifest.repository}, but this host follows ${repository}; check the source URL (or the repository in the config)`,
      { details: { name, repository: manifest.repository, pinned: repository } },
    );
  }
}

/**
 * TUF: one version number names one content. A manifest with the version
 * accepted last time but other bytes is a second, conflicting release.
 */
export function checkSameVersionSameBytes(
  version: number,
  sha256: string,
  last: { version: number; sha256?: string | undefined } | undefined,
  name: string,
): void {
  if (last?.sha256 === undefined || last.version !== version || last.sha256 === sha256) return;
  throw new LpctlError(
    "MANIFEST_VERSION_REUSED",
    `${name} version ${version} differs from the version ${version} accepted before (sha256 ${sha256}, was ${last.sha256}); the publisher must never publish one version twice`,
    { details: { name, version, sha256, previous: last.sha256 } },
  );
}
