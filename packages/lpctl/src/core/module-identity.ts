/**
 * A module name identifies one module. Hosts know a live patch only by its
 * name, so a name published again with other bytes would leave hosts that
 * loaded the old bytes believing they run the new ones.
 */
import { LpctlError } from "./errors.js";
import type { Manifest, ManifestKernel } from "./manifest.js";

/** Refuses an entry whose module name or file the (verified) previous manifest has with another sha256. */
export function checkNamesKeepContent(
  previous: Manifest,
  kernels: readonly ManifestKernel[],
): void {
  const before = new Map<string, { sha256: string; version: number }>();
  for (const k of previous.kernels) {
    if (!k.module) continue;
    const seen = { sha256: k.module.sha256, version: previous.version };
    before.set(`name:${k.module.name}`, seen).set(`file:${k.module.file}`, seen);
  }
  for (const k of kernels) {
    if (!k.module) continue;
    const { sha256 } = k.module;
    for (const key of [`name:${k.module.name}`, `file:${k.module.file}`]) {
      const old = before.get(key);
      if (old !== undefined && old.sha256 !== sha256) {
        throw new LpctlError(
          "MODULE_NAME_REUSED",
          `module ${key.slice(5)} of target '${k.target}' was published in version ${old.version} with sha256 ${old.sha256}, now ${sha256}; build with lpctl build --serial <next version> so new bytes get a new name`,
          { details: { target: k.target, module: key.slice(5), previous: old.sha256 } },
        );
      }
    }
  }
}
