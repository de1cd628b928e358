/**
 * Where releases live: GitHub (or GHE, or the local forge) through the REST
 * API. One small interface so publishing is tested without a network.
 */

export interface Release {
  id: number;
  tag: string;
  /** Commit the release's tag points at (`target_commitish`). */
  commit: string;
  /** Upload endpoint without the `{?name,label}` template. */
  uploadUrl: string;
  /** Login of the account that created the release, when the server says. */
  author?: string;
}

export interface ReleaseAsset {
  id: number;
  name: string;
  size: number;
  /** "uploaded", or "starter" when an upload failed halfway. */
  state: string;
  /** "sha256:<hex>" when the server reports it (GitHub does since 2025). */
  digest?: string;
}

export interface ReleaseStore {
  getReleaseByTag(tag: string): Promise<Release | undefined>;
  /** The release marked latest, or undefined when there is none yet. */
  getLatestRelease(): Promise<Release | undefined>;
  createRelease(input: {
    tag: string;
    commit: string;
    name: string;
    body: string;
  }): Promise<Release>;
  listAssets(release: Release): Promise<ReleaseAsset[]>;
  downloadAsset(release: Release, asset: ReleaseAsset): Promise<Uint8Array>;
  uploadAsset(
    release: Release,
    name: string,
    bytes: Uint8Array,
    contentType: string,
  ): Promise<ReleaseAsset>;
  deleteAsset(release: Release, asset: ReleaseAsset): Promise<void>;
  markLatest(release: Release): Promise<void>;
}
