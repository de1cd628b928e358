/** Later rings' releases read back from a ReleaseStore, each manifest verified with the publisher's own keys. */
import { releaseManifest } from "./release-manifest.js";
import type { ReleaseStore } from "./release-store.js";
import type { ModuleSource } from "./carry-over.js";
import type { RingSource } from "./ring-releases.js";

/**
 * Release v<n> of `store`: its manifest.json (verified with `keys`) and its
 * assets as module source, after `local` (the app's copy of the last
 * release, which already holds every ring's modules between promotions).
 * Either way carryOver checks the bytes against the signed sha256.
 */
export function storeRingSource(
  store: ReleaseStore,
  keys: readonly string[],
  local?: ModuleSource,
): RingSource {
  return {
    async release(n) {
      const release = await store.getReleaseByTag(`v${n}`);
      if (release === undefined) return undefined;
      const manifest = await releaseManifest(store, release, keys);
      // A tag someone else made at vN holds no manifest our keys signed: refused above.
      if (manifest.version !== n) return undefined;
      const assets = await store.listAssets(release);
      return {
        manifest,
        where: release.tag,
        modules: async (file) => {
          const kept = await local?.(file);
          if (kept !== undefined) return kept;
          const asset = assets.find((a) => a.name === file && a.state === "uploaded");
          return asset && store.downloadAsset(release, asset);
        },
      };
    },
  };
}
