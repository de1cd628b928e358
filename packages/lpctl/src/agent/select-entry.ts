import type { Manifest, ManifestKernel } from "../core/manifest.js";
import type { KernelIdentity } from "./kernel-identity.js";

export type IdentityPolicy = "build-id" | "release-only";

/**
 * This host's entry in a verified manifest. build-id: the exact vmlinux
 * (same release and build-id), so a module is never loaded into a kernel it
 * was not built for. release-only: release and arch, for kernels whose
 * build-id the publisher does not know.
 */
export function selectEntry(
  manifest: Manifest,
  id: KernelIdentity,
  policy: IdentityPolicy,
): ManifestKernel | undefined {
  if (policy === "build-id") {
    return manifest.kernels.find((k) => k.buildId === id.buildId && k.release === id.release);
  }
  const matches = manifest.kernels.filter((k) => k.release === id.release && k.arch === id.arch);
  // Ambiguous: two builds of the same release; only the build-id could tell.
  return matches.length === 1 ? matches[0] : matches.find((k) => k.buildId === id.buildId);
}

/** "3 patches, CVE-2024-1, CVE-2024-2" for progress lines. */
export function describeEntry(entry: ManifestKernel): string {
  const cves = entry.patches.flatMap((p) => p.cves);
  const n = entry.patches.length;
  return `${n} patch${n === 1 ? "" : "es"}${cves.length > 0 ? `, ${cves.join(", ")}` : ""}`;
}
