/**
 * Releases: create (422 on a duplicate tag), get, latest, by tag, list,
 * update, delete, with `release` webhooks (created, published, edited,
 * deleted). Drafts are visible only to callers who may write contents.
 * Assets and uploads are in assets.ts, public downloads in downloads.ts.
 */
import { checkRepoAccess } from "../auth/access.js";
import type { ForgeContext } from "../context.js";
import { notFound, validationFailed } from "../http/errors.js";
import { paginate } from "../http/paginate.js";
import { created, noContent, ok, type ForgeRequest, type Routes } from "../http/types.js";
import type { ReleaseRow } from "../model/release-rows.js";
import type { RepoRow, UserRow } from "../model/rows.js";
import { latestRelease, nextLatestRank } from "../releases/release-rules.js";
import {
  ensureTag,
  openReleasesDb,
  releaseOf,
  removeAsset,
  renderRelease,
  type ReleasesDb,
} from "../releases/releases-db.js";
import { registerAssets } from "./assets.js";
import { registerDownloads } from "./downloads.js";

const MAKE_LATEST = ["true", "false", "legacy"] as const;

export function registerReleases(routes: Routes, ctx: ForgeContext): void {
  const db = openReleasesDb(ctx);
  registerAssets(routes, ctx, db);
  registerDownloads(routes, ctx, db);
  const render = (repo: RepoRow, r: ReleaseRow) => renderRelease(ctx, db, repo, r);
  const canWrite = (req: ForgeRequest, repo: RepoRow): boolean => {
    try {
      checkRepoAccess(ctx.db, req.principal, repo, "contents", "write");
      return true;
    } catch {
      return false;
    }
  };
  const visible = (req: ForgeRequest, repo: RepoRow): ReleaseRow[] =>
    db.releases
      .filter((r) => r.repoId === repo.id && (!r.draft || canWrite(req, repo)))
      .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
  const emit = (repo: RepoRow, r: ReleaseRow, action: string, sender: UserRow, extra = {}): void =>
    ctx.webhooks.emit({
      event: "release",
      action,
      repo,
      sender,
      payload: { release: render(repo, r), ...extra },
    });

  routes.api("POST", "/repos/{owner}/{repo}/releases", async (req) => {
    const repo = ctx.repoFor(req, "contents", "write");
    const body = await req.body();
    const tag = body.string("tag_name");
    const check = await ctx.git.run(repo.id, ["check-ref-format", `refs/tags/${tag}`], {
      allowFail: true,
    });
    if (check.exitCode !== 0 || tag.startsWith("-")) {
      throw validationFailed([{ resource: "Release", code: "invalid", field: "tag_name" }]);
    }
    if (db.releases.find((r) => r.repoId === repo.id && r.tag_name === tag)) {
      throw validationFailed([{ resource: "Release", code: "already_exists", field: "tag_name" }]);
    }
    const draft = body.optBool("draft") ?? false;
    const prerelease = body.optBool("prerelease") ?? false;
    const makeLatest = body.optEnum("make_latest", MAKE_LATEST) ?? "true";
    const now = ctx.now().toISOString();
    const sender = ctx.actor(req.principal);
    const fields: Omit<ReleaseRow, "id"> = {
      repoId: repo.id,
      tag_name: tag,
      target_commitish: body.optString("target_commitish") ?? repo.default_branch,
      name: body.optString("name") ?? null,
      body: body.optString("body") ?? null,
      draft,
      prerelease,
      authorId: sender.id,
      created_at: now,
      published_at: draft ? null : now,
      updated_at: now,
      latestRank: 0,
    };
    if (!draft) await ensureTag(ctx, repo, { ...fields, id: 0 });
    const all = db.releases.filter((r) => r.repoId === repo.id);
    const rank = !draft && !prerelease && makeLatest !== "false" ? nextLatestRank(all) : 0;
    const release = db.releases.insert({ ...fields, latestRank: rank });
    emit(repo, release, "created", sender);
    if (!draft) emit(repo, release, "published", sender);
    return created(render(repo, release));
  });

  routes.api("GET", "/repos/{owner}/{repo}/releases", (req) => {
    const repo = ctx.repoFor(req, "contents", "read");
    const page = paginate(visible(req, repo), req.url);
    return ok(
      page.items.map((r) => render(repo, r)),
      page.link ? { Link: page.link } : undefined,
    );
  });

  routes.api("GET", "/repos/{owner}/{repo}/releases/latest", (req) => {
    const repo = ctx.repoFor(req, "contents", "read");
    const latest = latestRelease(db.releases.filter((r) => r.repoId === repo.id));
    if (!latest) throw notFound();
    return ok(render(repo, latest));
  });

  routes.api("GET", "/repos/{owner}/{repo}/releases/tags/{tag}", (req) => {
    const repo = ctx.repoFor(req, "contents", "read");
    // GitHub: "Get a published release with the specified tag name"; drafts have no tag yet.
    const r = visible(req, repo).find((x) => !x.draft && x.tag_name === req.params.tag);
    if (!r) throw notFound();
    return ok(render(repo, r));
  });

  routes.api("GET", "/repos/{owner}/{repo}/releases/{release_id}", (req) => {
    const repo = ctx.repoFor(req, "contents", "read");
    const r = releaseOf(db, repo, req.params.release_id);
    if (r.draft && !canWrite(req, repo)) throw notFound();
    return ok(render(repo, r));
  });

  routes.api("PATCH", "/repos/{owner}/{repo}/releases/{release_id}", async (req) => {
    const repo = ctx.repoFor(req, "contents", "write");
    const r = releaseOf(db, repo, req.params.release_id);
    return ok(render(repo, await updateRelease(ctx, db, req, repo, r, emit)));
  });

  routes.api("DELETE", "/repos/{owner}/{repo}/releases/{release_id}", async (req) => {
    const repo = ctx.repoFor(req, "contents", "write");
    const r = releaseOf(db, repo, req.params.release_id);
    const json = render(repo, r);
    for (const a of db.assets.filter((x) => x.releaseId === r.id)) await removeAsset(ctx, db, a);
    db.releases.remove(r.id);
    ctx.webhooks.emit({
      event: "release",
      action: "deleted",
      repo,
      sender: ctx.actor(req.principal),
      payload: { release: json },
    });
    return noContent();
  });
}

type Emit = (repo: RepoRow, r: ReleaseRow, action: string, sender: UserRow, extra?: object) => void;

async function updateRelease(
  ctx: ForgeContext,
  db: ReleasesDb,
  req: ForgeRequest,
  repo: RepoRow,
  r: ReleaseRow,
  emit: Emit,
): Promise<ReleaseRow> {
  const body = await req.body();
  const tag = body.optString("tag_name");
  if (tag !== undefined && tag !== r.tag_name) {
    if (db.releases.find((x) => x.repoId === repo.id && x.tag_name === tag)) {
      throw validationFailed([{ resource: "Release", code: "already_exists", field: "tag_name" }]);
    }
  }
  const before = { ...r };
  const next: ReleaseRow = {
    ...r,
    tag_name: tag ?? r.tag_name,
    target_commitish: body.optString("target_commitish") ?? r.target_commitish,
    name: body.has("name") ? (body.optString("name") ?? null) : r.name,
    body: body.has("body") ? (body.optString("body") ?? null) : r.body,
    draft: body.optBool("draft") ?? r.draft,
    prerelease: body.optBool("prerelease") ?? r.prerelease,
    updated_at: ctx.now().toISOString(),
  };
  const publishing = before.draft && !next.draft;
  if (publishing) {
    await ensureTag(ctx, repo, next);
    next.published_at = next.updated_at;
  }
  const makeLatest = body.optEnum("make_latest", MAKE_LATEST);
  const all = db.releases.filter((x) => x.repoId === repo.id);
  if (
    !next.draft &&
    !next.prerelease &&
    (makeLatest === "true" || (publishing && makeLatest !== "false"))
  ) {
    next.latestRank = nextLatestRank(all);
  }
  const updated = db.releases.update(r.id, next) ?? next;
  const sender = ctx.actor(req.principal);
  const changes: Record<string, { from: string }> = {};
  if (before.name !== updated.name) changes.name = { from: before.name ?? "" };
  if (before.body !== updated.body) changes.body = { from: before.body ?? "" };
  if (before.tag_name !== updated.tag_name) changes.tag_name = { from: before.tag_name };
  emit(repo, updated, "edited", sender, { changes });
  if (publishing) emit(repo, updated, "published", sender);
  return updated;
}
