/**
 * A push that moves an open pull request's head branch: the head sha is
 * updated, stale approvals are dismissed where protection asks for it, and
 * `pull_request.synchronize` goes out with before/after.
 */
import type { ForgeContext } from "../context.js";
import type { RepoRow, UserRow } from "../model/rows.js";
import { emitPull } from "./events.js";
import { PULLS, REVIEWS, type PullRow, type ReviewRow } from "./rows.js";

export async function syncPullsOnPush(
  ctx: ForgeContext,
  repo: RepoRow,
  branch: string,
  sha: string,
  sender: UserRow,
): Promise<void> {
  const pulls = ctx.store.table<PullRow>(PULLS);
  const reviews = ctx.store.table<ReviewRow>(REVIEWS);
  const moved = pulls.filter(
    (p) => p.repoId === repo.id && p.state === "open" && p.headRef === branch && p.headSha !== sha,
  );
  for (const pr of moved) {
    const before = pr.headSha;
    pulls.update(pr.id, { headSha: sha, updated_at: ctx.now().toISOString() });
    const protection = ctx.db.protections.find(
      (p) => p.repoId === repo.id && p.branch === pr.baseRef,
    );
    if (protection?.required_pull_request_reviews?.dismiss_stale_reviews) {
      for (const r of reviews.filter(
        (x) => x.repoId === repo.id && x.pullNumber === pr.number && x.state === "APPROVED",
      )) {
        reviews.update(r.id, { state: "DISMISSED" });
      }
    }
    await ctx.store.commit();
    await emitPull(ctx, repo, pr, "synchronize", sender, { before, after: sha });
  }
}
