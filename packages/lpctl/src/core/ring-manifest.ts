/**
 * A ring's manifest: the release's version, window and repository, with the
 * kernel entries that ring runs. Content in, content out; the publisher
 * signs what this returns.
 */
import { LpctlError } from "./errors.js";
import { ManifestSchema, type Manifest, type ManifestKernel } from "./manifest.js";
import { fieldPath } from "./schema-issues.js";

/** `release` re-labelled for `ring`, holding `kernels` (as signed before) instead of its own. */
export function ringManifest(
  release: Manifest,
  ring: string,
  kernels: readonly ManifestKernel[],
): Manifest {
  const sorted = [...kernels].sort((a, b) =>
    a.target < b.target ? -1 : a.target > b.target ? 1 : 0,
  );
  const parsed = ManifestSchema.safeParse({ ...release, ring, kernels: sorted });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LpctlError(
      "RINGS_INVALID",
      `the manifest of ring '${ring}' is invalid at ${fieldPath(issue?.path ?? [])}: ${issue?.message ?? "?"}`,
    );
  }
  return parsed.data;
}
