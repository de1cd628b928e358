/**
 * The publisher's ReleaseStore on the installation's Octokit, so the app
 * publishes through the same publishRelease/prepareRelease as `lpctl publish`
 * with its own short-lived installation token. Uploads go to the release's
 * `upload_url` (GHES and the forge serve uploads elsewhere than the API).
 */
import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";
import {
  toAsset,
  toRelease,
  type ApiAsset,
} from "@livepatch-gitops/lpctl/publisher/github-release-json";
import type { ReleaseStore } from "@livepatch-gitops/lpctl/publisher/release-store";
import { httpStatus, type Octokit, type RepoRef } from "./types.js";

function failed(what: string, e: unknown): LpctlError {
  const status = httpStatus(e);
  return new LpctlError(
    "RELEASE_FAILED",
    `${what}${status ? ` (HTTP ${status})` : ""}: ${e instanceof Error ? e.message : "request failed"}; check the app's contents:write permission`,
    { cause: e },
  );
}

async function orUndefined<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (e) {
    if (httpStatus(e) === 404) return undefined;
    throw failed(what, e);
  }
}

async function wrap<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw failed(what, e);
  }
}

/** A ReleaseStore for `ref` acting as the installation. */
export function octokitReleaseStore(octokit: Octokit, ref: RepoRef): ReleaseStore {
  return {
    getReleaseByTag: (tag) =>
      orUndefined(`cannot read release ${tag}`, async () =>
        toRelease((await octokit.rest.repos.getReleaseByTag({ ...ref, tag })).data),
      ),
    getLatestRelease: () =>
      orUndefined("cannot read the latest release", async () =>
        toRelease((await octokit.rest.repos.getLatestRelease(ref)).data),
      ),
    createRelease: ({ tag, commit, name, body }) =>
      wrap(`cannot create release ${tag}`, async () =>
        toRelease(
          (
            await octokit.rest.repos.createRelease({
              ...ref,
              tag_name: tag,
              target_commitish: commit,
              name,
              body,
              make_latest: "false",
            })
          ).data,
        ),
      ),
    listAssets: (release) =>
      wrap(`cannot list the assets of ${release.tag}`, async () =>
        (
          await octokit.paginate(octokit.rest.repos.listReleaseAssets, {
            ...ref,
            release_id: release.id,
            per_page: 100,
          })
        ).map((a) => toAsset(a as ApiAsset)),
      ),
    downloadAsset: (release, asset) =>
      wrap(`cannot download ${asset.name} from ${release.tag}`, async () => {
        const res = await octokit.rest.repos.getReleaseAsset({
          ...ref,
          asset_id: asset.id,
          headers: { accept: "application/octet-stream" },
        });
        return new Uint8Array(res.data as unknown as ArrayBuffer);
      }),
    uploadAsset: (release, name, bytes, contentType) =>
      wrap(`cannot upload ${name} to ${release.tag}`, async () => {
        const res = await octokit.request({
          method: "POST",
          url: `${release.uploadUrl}?name=${encodeURIComponent(name)}`,
          data: bytes,
          headers: { "content-type": contentType, "content-length": bytes.length },
        });
        return toAsset(res.data as ApiAsset);
      }),
    deleteAsset: (release, asset) =>
      wrap(`cannot delete ${asset.name} from ${release.tag}`, async () => {
        await octokit.rest.repos.deleteReleaseAsset({ ...ref, asset_id: asset.id });
      }),
    markLatest: (release) =>
      wrap(`cannot mark ${release.tag} as latest`, async () => {
        await octokit.rest.repos.updateRelease({
          ...ref,
          release_id: release.id,
          draft: false,
          make_latest: "true",
        });
      }),
  };
}
