/**
 * Release assets: list, get (302 to storage for `Accept:
 * application/octet-stream`), update, delete, and the upload on the uploads
 * host. An upload streams to a temp file that is fsynced and renamed before
 * its row is recorded, so an interrupted upload leaves no visible asset.
 */
import type { ForgeContext } from "../context.js";
import { ForgeHttpError, validationFailed } from "../http/errors.js";
import { paginate } from "../http/paginate.js";
import {
  created,
  noContent,
  ok,
  type ForgeRequest,
  type Reply,
  type Routes,
} from "../http/types.js";
import { assetNameProblem } from "../releases/release-rules.js";
import {
  assetOf,
  releaseOf,
  removeAsset,
  renderAsset,
  type ReleasesDb,
} from "../releases/releases-db.js";
import type { AssetRow } from "../model/release-rows.js";
import type { RepoRow } from "../model/rows.js";
import { storageFor } from "../downloads/downloads.js";

const alreadyExists = (): ForgeHttpError =>
  validationFailed([{ resource: "ReleaseAsset", code: "already_exists", field: "name" }]);

function checkName(name: string): void {
  const problem = assetNameProblem(name);
  if (problem !== undefined) {
    throw validationFailed([
      { resource: "ReleaseAsset", code: "invalid", field: "name", message: problem },
    ]);
  }
}

/** Reads and discards a refused upload's body, so the client sees the answer and not a reset. */
async function drain(req: ForgeRequest, max: number): Promise<void> {
  let seen = 0;
  for await (const chunk of req.raw as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > max) return;
  }
}

export function registerAssets(routes: Routes, ctx: ForgeContext, db: ReleasesDb): void {
  const tagOf = (a: AssetRow): string => db.releases.get(a.releaseId)?.tag_name ?? "";
  const render = (repo: RepoRow, a: AssetRow) => renderAsset(ctx, repo, tagOf(a), a);
  const taken = (releaseId: number, name: string): boolean =>
    db.assets.find((a) => a.releaseId === releaseId && a.name === name) !== undefined;

  routes.api("GET", "/repos/{owner}/{repo}/releases/{release_id}/assets", (req) => {
    const repo = ctx.repoFor(req, "contents", "read");
    const r = releaseOf(db, repo, req.params.release_id);
    const page = paginate(
      db.assets.filter((a) => a.releaseId === r.id),
      req.url,
    );
    return ok(
      page.items.map((a) => render(repo, a)),
      page.link ? { Link: page.link } : undefined,
    );
  });

  routes.api("GET", "/repos/{owner}/{repo}/releases/assets/{asset_id}", (req): Reply => {
    const repo = ctx.repoFor(req, "contents", "read");
    const a = assetOf(db, repo, req);
    if ((req.headers.accept ?? "").includes("application/octet-stream")) {
      return { status: 302, headers: { Location: storageFor(ctx).url("asset", String(a.id)) } };
    }
    return ok(render(repo, a));
  });

  routes.api("PATCH", "/repos/{owner}/{repo}/releases/assets/{asset_id}", async (req) => {
    const repo = ctx.repoFor(req, "contents", "write");
    const a = assetOf(db, repo, req);
    const body = await req.body();
    const name = body.optString("name");
    if (name !== undefined && name !== a.name) {
      checkName(name);
      if (taken(a.releaseId, name)) throw alreadyExists();
    }
    const updated = db.assets.update(a.id, {
      ...(name !== undefined ? { name } : {}),
      ...(body.has("label") ? { label: body.optString("label") ?? null } : {}),
      updated_at: ctx.now().toISOString(),
    });
    return ok(render(repo, updated ?? a));
  });

  routes.api("DELETE", "/repos/{owner}/{repo}/releases/assets/{asset_id}", async (req) => {
    const repo = ctx.repoFor(req, "contents", "write");
    await removeAsset(ctx, db, assetOf(db, repo, req));
    return noContent();
  });

  const upload = "/repos/{owner}/{repo}/releases/{release_id}/assets";
  routes.uploads("POST", upload, async (req) => {
    const max = ctx.limits.uploadBytes;
    let refused: ForgeHttpError | undefined;
    let repo: RepoRow | undefined;
    let releaseId = 0;
    const name = req.query.get("name") ?? "";
    try {
      repo = ctx.repoFor(req, "contents", "write");
      releaseId = releaseOf(db, repo, req.params.release_id).id;
      checkName(name);
      if (taken(releaseId, name)) refused = alreadyExists();
    } catch (e) {
      if (!(e instanceof ForgeHttpError)) throw e;
      refused = e;
    }
    if (refused || !repo) {
      await drain(req, max);
      throw refused ?? new ForgeHttpError(404, "Not Found");
    }
    const declared = Number(req.headers["content-length"] ?? "NaN");
    if (declared > max) {
      await drain(req, 0);
      throw new ForgeHttpError(413, "Payload too large");
    }
    const interrupted = await ctx.faults.answer(
      req.method,
      upload,
      `${req.url.pathname}${req.url.search}`,
      true,
    );
    const blob = await ctx.blobs.put(
      interrupted ? await firstHalf(req.raw as AsyncIterable<Buffer>, max) : req.raw,
      max,
    );
    // A concurrent upload of the same name may have finished meanwhile.
    if (taken(releaseId, name)) {
      await ctx.blobs.remove(blob.key);
      throw alreadyExists();
    }
    const now = ctx.now().toISOString();
    const asset = db.assets.insert({
      releaseId,
      repoId: repo.id,
      name,
      label: req.query.get("label"),
      content_type: req.headers["content-type"] ?? "application/octet-stream",
      size: blob.size,
      blobKey: blob.key,
      sha256: blob.sha256,
      ...(interrupted ? { state: "open" as const } : {}),
      uploaderId: ctx.actor(req.principal).id,
      download_count: 0,
      created_at: now,
      updated_at: now,
    });
    if (interrupted) throw interrupted;
    return created(render(repo, asset));
  });
}

/** What an upload that stops halfway leaves: the first half of the body. */
async function firstHalf(body: AsyncIterable<Buffer>, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) break;
    chunks.push(chunk);
  }
  const all = Buffer.concat(chunks);
  return all.subarray(0, all.length >> 1);
}
