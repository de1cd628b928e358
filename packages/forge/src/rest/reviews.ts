/** Pull request reviews: list, create (APPROVE / REQUEST_CHANGES / COMMENT / pending), get, submit, dismiss. */
import type { ForgeContext } from "../context.js";
import { ForgeHttpError, notFound, validationFailed } from "../http/errors.js";
import { paginate } from "../http/paginate.js";
import { ok, type ForgeRequest, type Routes } from "../http/types.js";
import type { RepoRow, UserRow } from "../model/rows.js";
import { pullJson } from "../pulls/pull-json.js";
import { reviewJson } from "../pulls/review-json.js";
import { REVIEWS, type PullRow, type ReviewRow } from "../pulls/rows.js";
import { findPull } from "./pulls.js";

const EVENTS = {
  APPROVE: "APPROVED",
  REQUEST_CHANGES: "CHANGES_REQUESTED",
  COMMENT: "COMMENTED",
} as const;

export function registerReviews(routes: Routes, ctx: ForgeContext): void {
  const reviews = ctx.store.table<ReviewRow>(REVIEWS);
  const findReview = (repo: RepoRow, pr: PullRow, id: string | undefined): ReviewRow => {
    const r = reviews.get(Number(id));
    if (!r || r.repoId !== repo.id || r.pullNumber !== pr.number) throw notFound();
    return r;
  };
  const emit = async (
    repo: RepoRow,
    pr: PullRow,
    r: ReviewRow,
    action: string,
    sender: UserRow,
  ) => {
    ctx.webhooks.emit({
      event: "pull_request_review",
      action,
      repo,
      sender,
      payload: {
        review: reviewJson(ctx, repo, r, true),
        pull_request: await pullJson(ctx, repo, pr),
      },
    });
  };
  const submit = async (
    req: ForgeRequest,
    repo: RepoRow,
    pr: PullRow,
    r: ReviewRow,
    event: string,
    body: string,
  ) => {
    const state = EVENTS[event as keyof typeof EVENTS];
    if (!state)
      throw validationFailed([{ resource: "PullRequestReview", code: "invalid", field: "event" }]);
    if (state !== "APPROVED" && body === "") {
      throw new ForgeHttpError(422, "Unprocessable Entity", {
        errors: [`Review body can not be blank when using ${event}.`],
      });
    }
    if (state !== "COMMENTED" && r.userId === pr.userId) {
      const verb = state === "APPROVED" ? "approve" : "request changes on";
      throw new ForgeHttpError(422, "Unprocessable Entity", {
        errors: [`Can not ${verb} your own pull request`],
      });
    }
    reviews.update(r.id, { state, body, submitted_at: ctx.now().toISOString() });
    await ctx.store.commit();
    await emit(repo, pr, r, "submitted", ctx.actor(req.principal));
  };

  routes.api("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", (req) => {
    const repo = ctx.repoFor(req, "pull_requests", "read");
    const pr = findPull(ctx, repo, req.params.pull_number);
    const all = reviews.filter((r) => r.repoId === repo.id && r.pullNumber === pr.number);
    const page = paginate(all, req.url);
    return ok(
      page.items.map((r) => reviewJson(ctx, repo, r)),
      page.link ? { Link: page.link } : undefined,
    );
  });

  routes.api("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", async (req) => {
    // Anyone who can read a repository may review; an app needs pull_requests: write.
    const repo = ctx.repoFor(
      req,
      "pull_requests",
      req.principal.kind === "user" ? "read" : "write",
    );
    const pr = findPull(ctx, repo, req.params.pull_number);
    const body = await req.body();
    const commitId = body.optString("commit_id") ?? pr.headSha;
    if (!(await ctx.git.resolve(repo.id, commitId))) {
      throw validationFailed([
        { resource: "PullRequestReview", code: "invalid", field: "commit_id" },
      ]);
    }
    const user = ctx.actor(req.principal);
    const r = reviews.insert({
      repoId: repo.id,
      pullNumber: pr.number,
      userId: user.id,
      body: body.optString("body") ?? "",
      state: "PENDING",
      commit_id: commitId,
      submitted_at: null,
    });
    const event = body.optString("event");
    if (event !== undefined) {
      try {
        await submit(req, repo, pr, r, event, r.body);
      } catch (e) {
        reviews.remove(r.id);
        throw e;
      }
    }
    return ok(reviewJson(ctx, repo, r));
  });

  routes.api("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}", (req) => {
    const repo = ctx.repoFor(req, "pull_requests", "read");
    const pr = findPull(ctx, repo, req.params.pull_number);
    return ok(reviewJson(ctx, repo, findReview(repo, pr, req.params.review_id)));
  });

  routes.api(
    "POST",
    "/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/events",
    async (req) => {
      const repo = ctx.repoFor(req, "pull_requests", "write");
      const pr = findPull(ctx, repo, req.params.pull_number);
      const r = findReview(repo, pr, req.params.review_id);
      if (r.state !== "PENDING")
        throw new ForgeHttpError(422, "Unprocessable Entity", {
          errors: ["Review has already been submitted."],
        });
      const body = await req.body();
      await submit(req, repo, pr, r, body.string("event"), body.optString("body") ?? r.body);
      return ok(reviewJson(ctx, repo, r));
    },
  );

  routes.api(
    "PUT",
    "/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals",
    async (req) => {
      const repo = ctx.repoFor(req, "pull_requests", "write");
      const pr = findPull(ctx, repo, req.params.pull_number);
      const r = findReview(repo, pr, req.params.review_id);
      const body = await req.body();
      body.string("message");
      if (r.state === "PENDING") throw new ForgeHttpError(422, "Can not dismiss a pending review");
      reviews.update(r.id, { state: "DISMISSED" });
      await ctx.store.commit();
      await emit(repo, pr, r, "dismissed", ctx.actor(req.principal));
      return ok(reviewJson(ctx, repo, r));
    },
  );
}
