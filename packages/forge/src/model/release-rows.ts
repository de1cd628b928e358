/** Rows of the releases area (tables releases, release_assets). */
import type { Row } from "../persistence/state-tables.js";

export interface ReleaseRow extends Row {
  repoId: number;
  tag_name: string;
  target_commitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  authorId: number;
  created_at: string;
  published_at: string | null;
  updated_at: string;
  /**
   * Order in which releases were made latest (`make_latest: true`, the
   * default on publishing); 0 when published with `make_latest: false`.
   */
  latestRank: number;
}

export interface AssetRow extends Row {
  releaseId: number;
  repoId: number;
  name: string;
  label: string | null;
  content_type: string;
  size: number;
  /** Names the bytes in the forge's blob store. */
  blobKey: string;
  sha256: string;
  /** "open": an upload that stopped halfway (GitHub keeps it, with what arrived); absent: uploaded. */
  state?: "open";
  uploaderId: number;
  download_count: number;
  created_at: string;
  updated_at: string;
}
