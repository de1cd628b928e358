/**
 * Issue comments on pull requests (the forge has no plain issues): list,
 * create, get, update, delete, with `issue_comment` webhooks. An
 * installation needs `issues` or `pull_requests` permission, as on GitHub.
 */
import { ForgeHttpError, notFound } from "../http/errors.js";
import type { ForgeContext } from "../context.js";
import { paginate } from "../http/paginate.js";
import { created, noContent, ok, type ForgeRequest, type Routes } from "../http/types.js";
import type { Level, RepoRow, UserRow } from "../model/rows.js";
import { commentJson, issueOfPullJson } from "../pulls/comment-json.js";
import { COMMENTS, PULLS, type CommentRow, type PullRow } from "../pulls/rows.js";

export function registerComments(routes: Routes, ctx: ForgeContext): void {
  const comments = ctx.store.table<CommentRow>(COMMENTS);
  const pulls = ctx.store.table<PullRow>(PULLS);

  /** Either permission will do for comments on pull requests. */
  const repoFor = (req: ForgeRequest, level: Level): RepoRow => {
    try {
      return ctx.repoFor(req, "issues", level);
    } catch (e) {
      if (e instanceof ForgeHttpError && e.status === 403)
        return ctx.repoFor(req, "pull_requests", level);
      throw e;
    }
  };
  const pullOf = (repo: RepoRow, n: number): PullRow => {
    const pr = pulls.find((p) => p.repoId === repo.id && p.number === n);
    if (!pr) throw notFound();
    return pr;
  };
  const findComment = (repo: RepoRow, id: string | undefined): CommentRow => {
    const c = comments.get(Number(id));
    if (!c || c.repoId !== repo.id) throw notFound();
    return c;
  };
  const emit = (
    repo: RepoRow,
    c: CommentRow,
    action: string,
    sender: UserRow,
    extra: Record<string, unknown> = {},
  ) => {
    const pr = pullOf(repo, c.issueNumber);
    const count = comments.filter(
      (x) => x.repoId === repo.id && x.issueNumber === c.issueNumber,
    ).length;
    ctx.webhooks.emit({
      event: "issue_comment",
      action,
      repo,
      sender,
      payload: {
        ...extra,
        issue: issueOfPullJson(ctx, repo, pr, count),
        comment: commentJson(ctx, repo, c),
      },
    });
  };

  routes.api("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", (req) => {
    const repo = repoFor(req, "read");
    const pr = pullOf(repo, Number(req.params.issue_number));
    const all = comments.filter((c) => c.repoId === repo.id && c.issueNumber === pr.number);
    const page = paginate(all, req.url);
    return ok(
      page.items.map((c) => commentJson(ctx, repo, c)),
      page.link ? { Link: page.link } : undefined,
    );
  });

  routes.api("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", async (req) => {
    // Readers may comment; an app needs issues or pull_requests: write.
    const repo = repoFor(req, req.principal.kind === "user" ? "read" : "write");
    const pr = pullOf(repo, Number(req.params.issue_number));
    const body = (await req.body()).string("body");
    const user = ctx.actor(req.principal);
    const now = ctx.now().toISOString();
    const p = req.principal;
    const c = comments.insert({
      repoId: repo.id,
      issueNumber: pr.number,
      userId: user.id,
      body,
      appId: p.kind === "installation" && p.app ? p.app.id : null,
      created_at: now,
      updated_at: now,
    });
    await ctx.store.commit();
    emit(repo, c, "created", user);
    return created(commentJson(ctx, repo, c));
  });

  routes.api("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}", (req) => {
    const repo = repoFor(req, "read");
    return ok(commentJson(ctx, repo, findComment(repo, req.params.comment_id)));
  });

  routes.api("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", async (req) => {
    const repo = repoFor(req, "write");
    const c = findComment(repo, req.params.comment_id);
    const body = (await req.body()).string("body");
    const from = c.body;
    comments.update(c.id, { body, updated_at: ctx.now().toISOString() });
    await ctx.store.commit();
    emit(repo, c, "edited", ctx.actor(req.principal), { changes: { body: { from } } });
    return ok(commentJson(ctx, repo, c));
  });

  routes.api("DELETE", "/repos/{owner}/{repo}/issues/comments/{comment_id}", async (req) => {
    const repo = repoFor(req, "write");
    const c = findComment(repo, req.params.comment_id);
    emit(repo, c, "deleted", ctx.actor(req.principal));
    comments.remove(c.id);
    await ctx.store.commit();
    return noContent();
  });
}
