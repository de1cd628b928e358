/**
 * The releases area's tables and what its routes share: rendering with the
 * repository's URLs, lookups that answer 404, the tag a published release
 * creates, and asset bytes served through signed storage URLs.
 */
import type { ForgeContext } from "../context.js";
import { notFound, validationFailed } from "../http/errors.js";
import type { ForgeRequest } from "../http/types.js";
import { ownerOf } from "../model/db.js";
import { assetJson, releaseJson, type ReleaseUrls } from "../model/release-json.js";
import type { AssetRow, ReleaseRow } from "../model/release-rows.js";
import type { RepoRow } from "../model/rows.js";
import type { Table } from "../persistence/state-tables.js";
import { storageFor } from "../downloads/downloads.js";

export interface ReleasesDb {
  releases: Table<ReleaseRow>;
  assets: Table<AssetRow>;
}

export function openReleasesDb(ctx: ForgeContext): ReleasesDb {
  const db: ReleasesDb = {
    releases: ctx.store.table("releases"),
    assets: ctx.store.table("release_assets"),
  };
  storageFor(ctx).resolvers.set("asset", (id) => {
    const a = db.assets.get(Number(id));
    if (!a) return undefined;
    return {
      blobKey: a.blobKey,
      sha256: a.sha256,
      size: a.size,
      lastModified: a.updated_at,
      contentType: "application/octet-stream",
      onServed: () => {
        db.assets.update(a.id, { download_count: a.download_count + 1 });
        ctx.background.track(ctx.store.commit());
      },
    };
  });
  return db;
}

export function releaseUrls(ctx: ForgeContext, repo: RepoRow): ReleaseUrls {
  const full = `${ownerOf(ctx.db, repo).login}/${repo.name}`;
  return {
    repoApi: `${ctx.urls.api}/repos/${full}`,
    repoWeb: `${ctx.urls.web}/${full}`,
    repoUploads: `${ctx.urls.uploads}/repos/${full}`,
  };
}

export function renderAsset(ctx: ForgeContext, repo: RepoRow, tag: string, a: AssetRow) {
  const uploader = ctx.db.users.get(a.uploaderId);
  return assetJson(
    releaseUrls(ctx, repo),
    tag,
    a,
    uploader ? ctx.json.user(uploader) : null,
    ctx.assetDigests,
  );
}

export function renderRelease(ctx: ForgeContext, db: ReleasesDb, repo: RepoRow, r: ReleaseRow) {
  const author = ctx.db.users.get(r.authorId);
  if (!author) throw notFound();
  const assets = db.assets
    .filter((a) => a.releaseId === r.id)
    .map((a) => renderAsset(ctx, repo, r.tag_name, a));
  return releaseJson(releaseUrls(ctx, repo), r, ctx.json.user(author), assets);
}

export function releaseOf(db: ReleasesDb, repo: RepoRow, id: string | undefined): ReleaseRow {
  const r = db.releases.get(Number(id));
  if (!r || r.repoId !== repo.id) throw notFound();
  return r;
}

export function assetOf(db: ReleasesDb, repo: RepoRow, req: ForgeRequest): AssetRow {
  const a = db.assets.get(Number(req.params.asset_id));
  if (!a || a.repoId !== repo.id) throw notFound();
  return a;
}

/**
 * Publishing creates the tag at `target_commitish` when it does not exist
 * yet (GitHub does the same); a target that names no commit is a 422.
 */
export async function ensureTag(ctx: ForgeContext, repo: RepoRow, r: ReleaseRow): Promise<void> {
  const ref = `refs/tags/${r.tag_name}`;
  if ((await ctx.git.refs(repo.id)).has(ref)) return;
  const sha = await ctx.git.resolve(repo.id, r.target_commitish);
  if (sha === undefined) {
    throw validationFailed([{ resource: "Release", code: "invalid", field: "target_commitish" }]);
  }
  await ctx.git.run(repo.id, ["update-ref", ref, sha, "0".repeat(40)]);
}

/** Deletes an asset's row, then its bytes (a crash in between leaves an unreferenced blob, never a dangling row). */
export async function removeAsset(ctx: ForgeContext, db: ReleasesDb, a: AssetRow): Promise<void> {
  db.assets.remove(a.id);
  await ctx.store.commit();
  await ctx.blobs.remove(a.blobKey);
}
