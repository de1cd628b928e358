/** Reads manifests back from a ReleaseStore: the previous version, and a half-published one. */
import { LpctlError } from "../core/errors.js";
import type { Manifest } from "../core/manifest.js";
import { parseStrictJson } from "../core/strict-json.js";
import { parseManifestValue } from "../core/verify/check-manifest.js";
import type { Release, ReleaseStore } from "./release-store.js";

/** manifest.json of the latest release, or undefined when nothing was published yet. */
export async function latestManifest(store: ReleaseStore): Promise<Manifest | undefined> {
  const release = await store.getLatestRelease();
  if (release === undefined) return undefined;
  const manifest = await manifestAsset(store, release, (name) => name === "manifest.json");
  if (manifest === undefined) {
    throw new LpctlError(
      "RELEASE_FAILED",
      `the latest release ${release.tag} has no manifest.json; pass --previous FILE`,
    );
  }
  return manifest;
}

/**
 * The issued/expires of release `tag` when a crashed run already uploaded a
 * manifest to it: a resumed run must sign the same bytes again.
 */
export async function resumeWindow(
  store: ReleaseStore,
  tag: string,
): Promise<{ issued: string; expires: string } | undefined> {
  const release = await store.getReleaseByTag(tag);
  if (release === undefined) return undefined;
  const m = await manifestAsset(
    store,
    release,
    (name) => name === "manifest.json" || /^kernel-[0-9a-f]+\.json$/.test(name),
  );
  return m && { issued: m.issued, expires: m.expires };
}

async function manifestAsset(
  store: ReleaseStore,
  release: Release,
  match: (name: string) => boolean,
): Promise<Manifest | undefined> {
  const asset = (await store.listAssets(release)).find(
    (a) => a.state === "uploaded" && match(a.name),
  );
  if (asset === undefined) return undefined;
  const bytes = await store.downloadAsset(release, asset);
  return parseManifestValue(parseStrictJson(bytes, `${release.tag}/${asset.name}`));
}
