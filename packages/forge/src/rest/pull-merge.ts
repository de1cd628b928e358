/**
 * PUT /pulls/{n}/merge: the protected-branch gate (required checks through
 * ctx.hooks.requiredChecksState, required reviews), then a real merge commit
 * (or a squash), the branch moved with compare-and-swap, `push` and
 * `pull_request.closed` webhooks. Refusals use GitHub's 405/409 answers.
 */
import { userRole } from "../auth/access.js";
import type { ForgeContext } from "../context.js";
import { afterPush } from "../git/after-push.js";
import { mergeCommits } from "../git/merge.js";
import { ForgeHttpError } from "../http/errors.js";
import { ok, type Routes } from "../http/types.js";
import { emitPull } from "../pulls/events.js";
import { mergeRefusal } from "../pulls/merge-gate.js";
import { PULLS, REVIEWS, type PullRow, type ReviewRow } from "../pulls/rows.js";
import { findPull } from "./pulls.js";
import { protectionFor } from "./protection.js";

const notMergeable = (message = "Pull Request is not mergeable"): ForgeHttpError =>
  new ForgeHttpError(405, message);

export function registerPullMerge(routes: Routes, ctx: ForgeContext): void {
  const pulls = ctx.store.table<PullRow>(PULLS);
  const reviews = ctx.store.table<ReviewRow>(REVIEWS);

  routes.api("PUT", "/repos/{owner}/{repo}/pulls/{pull_number}/merge", async (req) => {
    const repo = ctx.repoFor(req, "contents", "write");
    const pr = findPull(ctx, repo, req.params.pull_number);
    const body = await req.body();
    const method = body.optEnum("merge_method", ["merge", "squash", "rebase"] as const) ?? "merge";
    if (method === "rebase")
      throw notMergeable("Rebase merges are not allowed on this repository.");
    if (pr.state !== "open") throw notMergeable();
    const sha = body.optString("sha");
    if (sha !== undefined && sha !== pr.headSha) {
      throw new ForgeHttpError(409, "Head branch was modified. Review and try the merge again.");
    }
    const merger = ctx.actor(req.principal);
    const protection = protectionFor(ctx, repo, pr.baseRef);
    const refusal = mergeRefusal({
      protection,
      checksState: ctx.hooks.requiredChecksState(
        repo,
        pr.headSha,
        protection?.required_status_checks?.checks ?? [],
      ),
      reviews: reviews.filter((r) => r.repoId === repo.id && r.pullNumber === pr.number),
      headSha: pr.headSha,
      hasWriteAccess: (userId) => {
        const u = ctx.db.users.get(userId);
        const role = u ? userRole(ctx.db, u, repo) : undefined;
        return role === "push" || role === "maintain" || role === "admin";
      },
      mergerIsAdmin:
        req.principal.kind === "user" && userRole(ctx.db, req.principal.user, repo) === "admin",
    });
    if (refusal) throw notMergeable(refusal);
    const baseRef = `refs/heads/${pr.baseRef}`;
    const baseSha = await ctx.git.resolve(repo.id, baseRef);
    if (!baseSha) throw notMergeable();
    const title =
      body.optString("commit_title") ?? `Merge pull request #${pr.number} from ${pr.headRef}`;
    const extra = body.optString("commit_message") ?? pr.title;
    const outcome = await mergeCommits(
      ctx.git,
      repo.id,
      baseRef,
      baseSha,
      pr.headSha,
      `${title}\n\n${extra}`,
      {
        name: merger.name ?? merger.login,
        email:
          merger.email ??
          `${merger.id}+${merger.login.replace(/\[bot\]$/, "")}@users.noreply.forge.local`,
      },
      method === "squash",
    );
    if ("conflict" in outcome) throw notMergeable();
    const now = ctx.now().toISOString();
    pulls.update(pr.id, {
      state: "closed",
      merged: true,
      merged_at: now,
      closed_at: now,
      mergedById: merger.id,
      merge_commit_sha: outcome.sha,
      updated_at: now,
    });
    await ctx.store.commit();
    const update = { ref: baseRef, before: baseSha, after: outcome.sha };
    ctx.background.track(
      ctx.git.serial(repo.id, async () => {
        await emitPull(ctx, repo, pr, "closed", merger);
        await afterPush(ctx, repo, merger, [update]);
      }),
      (e) => ctx.log(`forge: after merge: ${String(e)}`),
    );
    return ok({ sha: outcome.sha, merged: true, message: "Pull Request successfully merged" });
  });
}
