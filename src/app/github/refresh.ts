/**
 * Manifest freshness: re-issue the latest release's content as the next
 * version when its manifest expires within the configured margin, through
 * the publisher's refresh path (same modules, new version, new expiry).
 * Hosts that cannot get a fresh manifest keep the loaded patch and refuse
 * nothing newer; `lpctl status` says the manifest expired.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BASE_NAME } from "../../core/manifest.js";
import { checkOwnSignature } from "../../publisher/check-own-signature.js";
import { prepareRelease } from "../../publisher/prepare-release.js";
import { publishRelease, type PublishResult } from "../../publisher/publish-release.js";
import { readPublishedDir } from "../../publisher/read-published.js";
import { latestManifest, resumeWindow } from "../../publisher/release-manifest.js";
import type { AppConfig } from "../config.js";
import type { AppDeps } from "../deps.js";
import { octokitReleaseStore } from "./release-store.js";
import type { Octokit, RepoRef } from "./types.js";

const HOUR_MS = 3_600_000;

/** The re-issued release, or undefined when nothing is published or the manifest is fresh enough. */
export async function refreshIfDue(
  octokit: Octokit,
  ref: RepoRef,
  config: AppConfig,
  deps: AppDeps,
  log: (line: string) => void,
): Promise<PublishResult | undefined> {
  const signer = await deps.signer();
  const keys = [signer.publicKey];
  const store = octokitReleaseStore(octokit, ref);
  const now = deps.now();
  const previous = await latestManifest(store, keys);
  if (previous === undefined) return undefined;
  const left = Date.parse(previous.expires) - now.getTime();
  if (left > config.manifest.refreshMarginHours * HOUR_MS) {
    log(`manifest v${previous.version} expires ${previous.expires}: not due for a refresh`);
    return undefined;
  }
  const release = await store.getLatestRelease();
  if (release === undefined) return undefined;
  const dir = await mkdtemp(join(deps.tmpDir ?? tmpdir(), "lpctl-app-refresh-"));
  try {
    for (const asset of await store.listAssets(release)) {
      if (asset.state !== "uploaded" || !BASE_NAME.test(asset.name)) continue;
      await writeFile(join(dir, asset.name), await store.downloadAsset(release, asset));
    }
    const refresh = await readPublishedDir(dir);
    // Only content our own key signed is re-signed.
    await checkOwnSignature(
      refresh.manifestBytes,
      refresh.signature,
      keys,
      `${release.tag}/manifest.json`,
    );
    const lifetimeDays = config.manifest.lifetimeHours / 24;
    const version = previous.version + 1;
    const window = await resumeWindow(store, `v${version}`, keys, { version, now, lifetimeDays });
    const prepared = await prepareRelease({
      previous,
      refresh,
      patches: {},
      now,
      lifetimeDays,
      signer,
      ...(window ? { window } : {}),
    });
    log(`re-issuing v${previous.version} (expires ${previous.expires}) as v${version}`);
    return await publishRelease({
      store,
      version,
      commit: release.commit,
      files: prepared.files,
      log,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
