/**
 * Public release downloads, as GitHub serves them: `/{owner}/{repo}/releases/download/{tag}/{name}`
 * and `/{owner}/{repo}/releases/latest/download/{name}` answer with a 302 to
 * a short-lived signed storage URL (rest/storage.ts serves the bytes).
 */
import type { ForgeContext } from "../context.js";
import { notFound } from "../http/errors.js";
import type { Reply, Routes } from "../http/types.js";
import type { ReleaseRow } from "../model/release-rows.js";
import { latestRelease } from "../releases/release-rules.js";
import type { ReleasesDb } from "../releases/releases-db.js";
import { storageFor } from "../downloads/downloads.js";

export function registerDownloads(routes: Routes, ctx: ForgeContext, db: ReleasesDb): void {
  const redirect = (release: ReleaseRow | undefined, name: string): Reply => {
    const asset = release && db.assets.find((a) => a.releaseId === release.id && a.name === name);
    if (!asset) throw notFound();
    // Host-relative (RFC 9110 allows it): a host VM reaches the forge as
    // 10.0.2.100 through qemu's guestfwd, where the forge's own 127.0.0.1
    // URL would point at the guest itself.
    return { status: 302, headers: { Location: storageFor(ctx).path("asset", String(asset.id)) } };
  };

  routes.web("GET", "/{owner}/{repo}/releases/download/{tag}/{name}", (req) => {
    const repo = ctx.repoFor(req, "contents", "read");
    const release = db.releases.find(
      (r) => r.repoId === repo.id && !r.draft && r.tag_name === req.params.tag,
    );
    return redirect(release, req.params.name ?? "");
  });

  routes.web("GET", "/{owner}/{repo}/releases/latest/download/{name}", (req) => {
    const repo = ctx.repoFor(req, "contents", "read");
    return redirect(
      latestRelease(db.releases.filter((r) => r.repoId === repo.id)),
      req.params.name ?? "",
    );
  });
}
