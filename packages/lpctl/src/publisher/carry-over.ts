/**
 * Targets a publish keeps without rebuilding them: their entries come only
 * from the previous manifest the publisher verified with its own key(s),
 * never from an unsigned build report beside it, and their module bytes must
 * match the sha256 and length that manifest signed.
 */
import { LpctlError } from "../core/errors.js";
import type { Manifest, ManifestKernel } from "../core/manifest.js";
import { sha256Hex } from "./release-files.js";

export interface Carried {
  /** Entries of the previous signed manifest, as signed. */
  entries: ManifestKernel[];
  /** Module bytes by file name, each checked against its entry. */
  modules: Map<string, Uint8Array>;
}

/** Where a carried module's bytes are read from (a mirror, a release); undefined when absent. */
export type ModuleSource = (file: string) => Promise<Uint8Array | undefined>;

/** The `targets` of the verified `previous` manifest, with their modules from `source`. */
export async function carryOver(
  previous: Manifest,
  targets: readonly string[],
  source: ModuleSource,
  where: string,
): Promise<Carried> {
  const keep = new Set(targets);
  const out: Carried = { entries: [], modules: new Map() };
  for (const k of previous.kernels) {
    if (!keep.has(k.target)) continue;
    const m = k.module;
    out.entries.push(k);
    if (!m) continue; // withdrawn: the entry is carried, there is no module
    const bytes = await source(m.file);
    if (bytes === undefined)
      throw new LpctlError(
        "FILE_MISSING",
        `${where} lacks ${m.file} (target '${k.target}' of signed manifest version ${previous.version}); rebuild that target on the default branch to publish it again`,
      );
    // integrity: only the exact bytes the signed manifest names are re-signed.
    if (bytes.length !== m.length || sha256Hex(bytes) !== m.sha256)
      throw new LpctlError(
        "DIGEST_MISMATCH",
        `${where}/${m.file} does not match signed manifest version ${previous.version}; refusing to carry '${k.target}' over`,
      );
    out.modules.set(m.file, bytes);
  }
  return out;
}
