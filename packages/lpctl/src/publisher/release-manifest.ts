/**
 * Reads manifests back from a ReleaseStore: the previous version, and a
 * half-published one. Each is verified with the publisher's own key(s)
 * before anything in it is used.
 */
import { LpctlError } from "../core/errors.js";
import type { Manifest } from "../core/manifest.js";
import { checkOwnSignature } from "./check-own-signature.js";
import type { Release, ReleaseAsset, ReleaseStore } from "./release-store.js";
import { checkResumeWindow, type Window } from "./resume-window.js";

/**
 * manifest.json of the latest release, verified; undefined when nothing was
 * published yet. While no release was ever made latest, GitHub calls the
 * newest one latest: a first publish that stopped before its manifest
 * leaves `v1` "latest" without one, and nothing was published before it
 * (the run resumes v1).
 */
export async function latestManifest(
  store: ReleaseStore,
  keys: readonly string[],
): Promise<Manifest | undefined> {
  const release = await store.getLatestRelease();
  if (release === undefined) return undefined;
  const assets = await store.listAssets(release);
  const manifest = uploaded(assets, "manifest.json");
  if (manifest === undefined && release.tag === "v1") return undefined;
  if (manifest === undefined) {
    throw new LpctlError(
      "RELEASE_FAILED",
      `the latest release ${release.tag} has no manifest.json; pass --previous FILE (with FILE.asc)`,
    );
  }
  return verified(store, release, assets, manifest, keys);
}

/**
 * The issued/expires of release `tag` when a crashed run already uploaded a
 * manifest to it: a resumed run must sign the same bytes again. The window
 * is taken only from a manifest our key signed, for this version, and only
 * when it is one this run could have chosen (see checkResumeWindow).
 */
export async function resumeWindow(
  store: ReleaseStore,
  tag: string,
  keys: readonly string[],
  rules: { version: number; now: Date; lifetimeDays: number },
): Promise<Window | undefined> {
  const release = await store.getReleaseByTag(tag);
  if (release === undefined) return undefined;
  const assets = await store.listAssets(release);
  // A manifest whose .asc is not uploaded (a crash between the two) is not
  // built on: nothing of it is ever signed; if it differs from what this run
  // signs, uploading reports a conflict.
  const candidates = assets.filter(
    (a) =>
      a.state === "uploaded" &&
      (a.name === "manifest.json" || /^kernel-[0-9a-f]+\.json$/.test(a.name)) &&
      uploaded(assets, `${a.name}.asc`) !== undefined,
  );
  if (candidates.length === 0) return undefined;
  // Every signed manifest must verify: one forged file is enough to make the
  // release something we did not write.
  const windows: Window[] = [];
  for (const asset of candidates) {
    const m = await verified(store, release, assets, asset, keys);
    windows.push(checkResumeWindow(m, `${release.tag}/${asset.name}`, rules));
  }
  const first = windows[0];
  if (first && windows.some((w) => w.issued !== first.issued || w.expires !== first.expires)) {
    throw new LpctlError(
      "RESUME_WINDOW_INVALID",
      `the manifests already uploaded to ${release.tag} disagree on issued/expires; delete the release and publish again`,
    );
  }
  return first;
}

function uploaded(assets: readonly ReleaseAsset[], name: string): ReleaseAsset | undefined {
  return assets.find((a) => a.state === "uploaded" && a.name === name);
}

/** manifest.json of `release`, verified with `keys`. */
export async function releaseManifest(
  store: ReleaseStore,
  release: Release,
  keys: readonly string[],
): Promise<Manifest> {
  const assets = await store.listAssets(release);
  const manifest = uploaded(assets, "manifest.json");
  if (manifest === undefined)
    throw new LpctlError("RELEASE_FAILED", `release ${release.tag} has no manifest.json`);
  return verified(store, release, assets, manifest, keys);
}

async function verified(
  store: ReleaseStore,
  release: Release,
  assets: readonly ReleaseAsset[],
  asset: ReleaseAsset,
  keys: readonly string[],
): Promise<Manifest> {
  const where = `${release.tag}/${asset.name}`;
  const sigAsset = uploaded(assets, `${asset.name}.asc`);
  const bytes = await store.downloadAsset(release, asset);
  const signature = sigAsset && (await store.downloadAsset(release, sigAsset));
  return checkOwnSignature(bytes, signature, keys, where);
}
