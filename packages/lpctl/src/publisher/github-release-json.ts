/**
 * GitHub's release and release-asset JSON, as the publisher's ReleaseStore
 * sees it: shared by `lpctl publish --github` and the app, which publish
 * through the same store contract with different Octokits.
 */
import type { Release, ReleaseAsset } from "./release-store.js";

export interface ApiRelease {
  id: number;
  tag_name: string;
  target_commitish: string;
  upload_url: string;
  author?: { login: string } | null;
}

export interface ApiAsset {
  id: number;
  name: string;
  size: number;
  state: string;
  digest?: string | null;
}

export function toRelease(r: ApiRelease): Release {
  // Uploads go where the server says, minus the RFC 6570 `{?name,label}` template.
  return {
    id: r.id,
    tag: r.tag_name,
    commit: r.target_commitish,
    uploadUrl: r.upload_url.replace(/\{[^}]*\}$/, ""),
    ...(r.author?.login ? { author: r.author.login } : {}),
  };
}

export function toAsset(a: ApiAsset): ReleaseAsset {
  return {
    id: a.id,
    name: a.name,
    size: a.size,
    state: a.state,
    ...(a.digest ? { digest: a.digest } : {}),
  };
}
