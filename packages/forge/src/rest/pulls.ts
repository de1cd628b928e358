/** Pull requests: create, get, list (state/head/base filters), update, files, commits. */
import type { ForgeContext } from "../context.js";
import { logCommits } from "../git/commit-log.js";
import { diffEntryJson, diffFiles } from "../git/diff.js";
import { ForgeHttpError, notFound, validationFailed } from "../http/errors.js";
import { paginate } from "../http/paginate.js";
import { created, ok, type ForgeRequest, type Routes } from "../http/types.js";
import { commitJson } from "../model/commit-json.js";
import { ownerOf } from "../model/db.js";
import type { RepoRow } from "../model/rows.js";
import { emitPull } from "../pulls/events.js";
import { diffBase, pullJson } from "../pulls/pull-json.js";
import { PULLS, type PullRow } from "../pulls/rows.js";
import { syncPullsOnPush } from "../pulls/sync.js";
import { recordBaseChange } from "./timeline.js";

export function findPull(ctx: ForgeContext, repo: RepoRow, number: string | undefined): PullRow {
  const n = Number(number);
  const pr = ctx.store.table<PullRow>(PULLS).find((p) => p.repoId === repo.id && p.number === n);
  if (!pr) throw notFound();
  return pr;
}

/** `owner:branch` or `branch` → the branch, if it names this repository's owner. */
function branchOf(ctx: ForgeContext, repo: RepoRow, spec: string): string {
  const colon = spec.indexOf(":");
  if (colon < 0) return spec;
  if (spec.slice(0, colon).toLowerCase() !== ownerOf(ctx.db, repo).login.toLowerCase()) {
    throw validationFailed([{ resource: "PullRequest", code: "invalid", field: "head" }]);
  }
  return spec.slice(colon + 1);
}

export function registerPulls(routes: Routes, ctx: ForgeContext): void {
  const pulls = ctx.store.table<PullRow>(PULLS);
  ctx.branchPushListeners.push((repo, branch, sha, sender) =>
    syncPullsOnPush(ctx, repo, branch, sha, sender),
  );
  const names = (repo: RepoRow) => {
    const full = `${ownerOf(ctx.db, repo).login}/${repo.name}`;
    return { full, api: `${ctx.urls.api}/repos/${full}`, html: `${ctx.urls.web}/${full}` };
  };

  routes.api("POST", "/repos/{owner}/{repo}/pulls", async (req) => {
    const repo = ctx.repoFor(req, "pull_requests", "write");
    const body = await req.body();
    const title = body.string("title");
    const head = branchOf(ctx, repo, body.string("head"));
    const base = body.string("base");
    const headSha = await ctx.git.resolve(repo.id, `refs/heads/${head}`);
    if (!headSha)
      throw validationFailed([{ resource: "PullRequest", code: "invalid", field: "head" }]);
    const baseSha = await ctx.git.resolve(repo.id, `refs/heads/${base}`);
    if (!baseSha)
      throw validationFailed([{ resource: "PullRequest", code: "invalid", field: "base" }]);
    const ahead = await ctx.git.run(repo.id, ["rev-list", "--count", `${baseSha}..${headSha}`]);
    if (ahead.stdout.trim() === "0") {
      throw validationFailed([
        {
          resource: "PullRequest",
          code: "custom",
          message: `No commits between ${base} and ${head}`,
        },
      ]);
    }
    if (
      pulls.find(
        (p) =>
          p.repoId === repo.id && p.state === "open" && p.headRef === head && p.baseRef === base,
      )
    ) {
      const owner = ownerOf(ctx.db, repo).login;
      throw validationFailed([
        {
          resource: "PullRequest",
          code: "custom",
          message: `A pull request already exists for ${owner}:${head}.`,
        },
      ]);
    }
    const user = ctx.actor(req.principal);
    const now = ctx.now().toISOString();
    const number = repo.nextNumber;
    ctx.db.repos.update(repo.id, { nextNumber: number + 1 });
    const pr = pulls.insert({
      repoId: repo.id,
      number,
      title,
      body: body.optString("body") ?? null,
      state: "open",
      draft: body.optBool("draft") ?? false,
      userId: user.id,
      headRef: head,
      headSha,
      baseRef: base,
      merged: false,
      merged_at: null,
      mergedById: null,
      merge_commit_sha: null,
      closed_at: null,
      created_at: now,
      updated_at: now,
    });
    await ctx.store.commit();
    await emitPull(ctx, repo, pr, "opened", user);
    return created(await pullJson(ctx, repo, pr));
  });

  routes.api("GET", "/repos/{owner}/{repo}/pulls", async (req) => {
    const repo = ctx.repoFor(req, "pull_requests", "read");
    const state = req.query.get("state") ?? "open";
    const head = req.query.get("head");
    const base = req.query.get("base");
    const headBranch = head
      ? head.includes(":")
        ? head.slice(head.indexOf(":") + 1)
        : head
      : undefined;
    const all = pulls
      .filter(
        (p) =>
          p.repoId === repo.id &&
          (state === "all" || p.state === state) &&
          (headBranch === undefined || p.headRef === headBranch) &&
          (base === null || p.baseRef === base),
      )
      .sort((a, b) =>
        req.query.get("direction") === "asc" ? a.number - b.number : b.number - a.number,
      );
    const page = paginate(all, req.url);
    const items = await Promise.all(page.items.map((p) => pullJson(ctx, repo, p)));
    return ok(items, page.link ? { Link: page.link } : undefined);
  });

  routes.api("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", async (req) => {
    const repo = ctx.repoFor(req, "pull_requests", "read");
    return ok(await pullJson(ctx, repo, findPull(ctx, repo, req.params.pull_number)));
  });

  routes.api("PATCH", "/repos/{owner}/{repo}/pulls/{pull_number}", async (req: ForgeRequest) => {
    const repo = ctx.repoFor(req, "pull_requests", "write");
    const pr = findPull(ctx, repo, req.params.pull_number);
    const body = await req.body();
    const state = body.optEnum("state", ["open", "closed"] as const);
    const now = ctx.now().toISOString();
    const wasOpen = pr.state === "open";
    if (pr.merged && state === "open")
      throw new ForgeHttpError(422, "Cannot reopen a merged pull request");
    const base = body.optString("base");
    const from = {
      ref: pr.baseRef,
      sha: await ctx.git.resolve(repo.id, `refs/heads/${pr.baseRef}`),
    };
    const retarget = base !== undefined && base !== pr.baseRef;
    if (retarget && !(await ctx.git.resolve(repo.id, `refs/heads/${base}`)))
      throw validationFailed([{ resource: "PullRequest", code: "invalid", field: "base" }]);
    const before = { title: pr.title, body: pr.body };
    pulls.update(pr.id, {
      title: body.optString("title") ?? pr.title,
      body: body.has("body") ? (body.optString("body") ?? null) : pr.body,
      baseRef: base ?? pr.baseRef,
      ...(state ? { state, closed_at: state === "closed" ? (pr.closed_at ?? now) : null } : {}),
      updated_at: now,
    });
    const sender = ctx.actor(req.principal);
    // GitHub keeps a retarget on the timeline, with its time.
    if (retarget) recordBaseChange(ctx, repo, pr, sender);
    await ctx.store.commit();
    if (state === "closed" && wasOpen) await emitPull(ctx, repo, pr, "closed", sender);
    else if (state === "open" && !wasOpen) await emitPull(ctx, repo, pr, "reopened", sender);
    else
      await emitPull(ctx, repo, pr, "edited", sender, {
        changes: {
          ...(retarget ? { base: { ref: { from: from.ref }, sha: { from: from.sha ?? "" } } } : {}),
          ...(pr.title !== before.title ? { title: { from: before.title } } : {}),
          ...(pr.body !== before.body ? { body: { from: before.body ?? "" } } : {}),
        },
      });
    return ok(await pullJson(ctx, repo, pr));
  });

  routes.api("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files", async (req) => {
    const repo = ctx.repoFor(req, "pull_requests", "read");
    const pr = findPull(ctx, repo, req.params.pull_number);
    const files = await diffFiles(ctx.git, repo.id, await diffBase(ctx, repo, pr), pr.headSha);
    const page = paginate(files, req.url);
    const { api, html } = names(repo);
    return ok(
      page.items.map((f) => diffEntryJson(api, html, pr.headSha, f)),
      page.link ? { Link: page.link } : undefined,
    );
  });

  routes.api("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/commits", async (req) => {
    const repo = ctx.repoFor(req, "pull_requests", "read");
    const pr = findPull(ctx, repo, req.params.pull_number);
    const commits = (
      await logCommits(ctx.git, repo.id, [`${await diffBase(ctx, repo, pr)}..${pr.headSha}`], 250)
    ).reverse();
    const page = paginate(commits, req.url);
    const { full } = names(repo);
    return ok(
      page.items.map((c) => commitJson(ctx.urls, ctx.db, full, c)),
      page.link ? { Link: page.link } : undefined,
    );
  });
}
