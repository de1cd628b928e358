/** Renders releases as GitHub's `release` and assets as `release-asset`. */
import { nodeId } from "./node-id.js";
import type { AssetRow, ReleaseRow } from "./release-rows.js";

export interface ReleaseUrls {
  /** `<api>/repos/<owner>/<repo>` */
  repoApi: string;
  /** `<web>/<owner>/<repo>` */
  repoWeb: string;
  /** `<uploads>/repos/<owner>/<repo>` */
  repoUploads: string;
}

/** The public download URL GitHub gives an asset (tag and name percent-encoded). */
export function browserDownloadUrl(repoWeb: string, tag: string, name: string): string {
  return `${repoWeb}/releases/download/${encodeURIComponent(tag)}/${encodeURIComponent(name)}`;
}

export function assetJson(
  u: ReleaseUrls,
  tag: string,
  a: AssetRow,
  uploader: Record<string, unknown> | null,
  digests = true,
): Record<string, unknown> {
  const state = a.state ?? "uploaded";
  return {
    url: `${u.repoApi}/releases/assets/${a.id}`,
    browser_download_url: browserDownloadUrl(u.repoWeb, tag, a.name),
    id: a.id,
    node_id: nodeId("ReleaseAsset", a.id),
    name: a.name,
    label: a.label,
    state,
    content_type: a.content_type,
    size: a.size,
    // Only a complete upload has a digest; older GitHub (and GHES) report none at all.
    digest: digests && state === "uploaded" ? `sha256:${a.sha256}` : null,
    download_count: a.download_count,
    created_at: a.created_at,
    updated_at: a.updated_at,
    uploader,
  };
}

export function releaseJson(
  u: ReleaseUrls,
  r: ReleaseRow,
  author: Record<string, unknown>,
  assets: Record<string, unknown>[],
): Record<string, unknown> {
  const url = `${u.repoApi}/releases/${r.id}`;
  const tag = encodeURIComponent(r.tag_name);
  return {
    url,
    html_url: `${u.repoWeb}/releases/tag/${tag}`,
    assets_url: `${url}/assets`,
    upload_url: `${u.repoUploads}/releases/${r.id}/assets{?name,label}`,
    tarball_url: `${u.repoApi}/tarball/${tag}`,
    zipball_url: `${u.repoApi}/zipball/${tag}`,
    id: r.id,
    node_id: nodeId("Release", r.id),
    tag_name: r.tag_name,
    target_commitish: r.target_commitish,
    name: r.name,
    body: r.body,
    draft: r.draft,
    prerelease: r.prerelease,
    immutable: false,
    created_at: r.created_at,
    published_at: r.published_at,
    updated_at: r.updated_at,
    author,
    assets,
  };
}
