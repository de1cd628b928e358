/**
 * Commit statuses: create (raises `status`), list for a ref (newest first),
 * and the combined status (latest per context). GitHub keeps at most 1000
 * statuses per sha and context; the forge keeps them all.
 */
import { combinedState, latestPerContext } from "../checks/check-state.js";
import { commitOf, openChecksDb, repoPaths } from "../checks/checks-db.js";
import type { ForgeContext } from "../context.js";
import type { CommitInfo } from "../git/commit-log.js";
import { ForgeHttpError, notFound } from "../http/errors.js";
import { paginate } from "../http/paginate.js";
import { created, ok, type Routes } from "../http/types.js";
import type { StatusRow, StatusState } from "../model/check-rows.js";
import { ownerOf } from "../model/db.js";
import { nodeId } from "../model/node-id.js";
import type { RepoRow } from "../model/rows.js";
import { simpleStatusJson, statusJson } from "../model/status-json.js";

const STATES: readonly StatusState[] = ["error", "failure", "pending", "success"];

export function registerStatuses(routes: Routes, ctx: ForgeContext): void {
  const db = openChecksDb(ctx);
  const creatorJson = (s: StatusRow): Record<string, unknown> => {
    const u = ctx.db.users.get(s.creatorId);
    if (!u) throw notFound();
    return ctx.json.user(u);
  };

  routes.api("POST", "/repos/{owner}/{repo}/statuses/{sha}", async (req) => {
    const repo = ctx.repoFor(req, "statuses", "write");
    const commit = await commitOf(ctx, repo, req.params.sha ?? "");
    const body = await req.body();
    const state = body.optEnum("state", STATES);
    if (state === undefined)
      throw new ForgeHttpError(422, 'Invalid request.\n\n"state" wasn\'t supplied.');
    const sender = ctx.actor(req.principal);
    const now = ctx.now().toISOString();
    const row = db.statuses.insert({
      repoId: repo.id,
      sha: commit.sha,
      state,
      context: body.optString("context") ?? "default",
      description: body.optString("description") ?? null,
      target_url: body.optString("target_url") ?? null,
      creatorId: sender.id,
      created_at: now,
      updated_at: now,
    });
    ctx.webhooks.emit({
      event: "status",
      repo,
      sender,
      payload: await statusPayload(ctx, repo, row, commit),
    });
    return created(statusJson(repoPaths(ctx, repo).repoApi, creatorJson(row), row));
  });

  routes.api("GET", "/repos/{owner}/{repo}/commits/{ref}/statuses", async (req) => {
    const repo = ctx.repoFor(req, "statuses", "read");
    const { sha } = await commitOf(ctx, repo, req.params.ref ?? "");
    const all = db.statuses
      .filter((s) => s.repoId === repo.id && s.sha === sha)
      .sort((a, b) => b.id - a.id);
    const page = paginate(all, req.url);
    const { repoApi } = repoPaths(ctx, repo);
    return ok(
      page.items.map((s) => statusJson(repoApi, creatorJson(s), s)),
      page.link ? { Link: page.link } : undefined,
    );
  });

  routes.api("GET", "/repos/{owner}/{repo}/commits/{ref}/status", async (req) => {
    const repo = ctx.repoFor(req, "statuses", "read");
    const { sha } = await commitOf(ctx, repo, req.params.ref ?? "");
    const latest = latestPerContext(
      db.statuses.filter((s) => s.repoId === repo.id && s.sha === sha),
    );
    const page = paginate(latest, req.url);
    const { repoApi } = repoPaths(ctx, repo);
    return ok(
      {
        state: combinedState(latest),
        statuses: page.items.map((s) =>
          simpleStatusJson(repoApi, String(creatorJson(s).avatar_url), s),
        ),
        sha,
        total_count: latest.length,
        repository: ctx.json.repo(repo),
        commit_url: `${repoApi}/commits/${sha}`,
        url: `${repoApi}/commits/${sha}/status`,
      },
      page.link ? { Link: page.link } : undefined,
    );
  });
}

async function statusPayload(
  ctx: ForgeContext,
  repo: RepoRow,
  s: StatusRow,
  c: CommitInfo,
): Promise<Record<string, unknown>> {
  const { repoApi, repoWeb } = repoPaths(ctx, repo);
  const branches = [...(await ctx.git.refs(repo.id))]
    .filter(([ref, at]) => ref.startsWith("refs/heads/") && at === s.sha)
    .slice(0, 10)
    .map(([ref]) => ({
      name: ref.slice("refs/heads/".length),
      commit: { sha: s.sha, url: `${repoApi}/commits/${s.sha}` },
      protected:
        ctx.db.protections.find((p) => p.repoId === repo.id && `refs/heads/${p.branch}` === ref) !==
        undefined,
    }));
  return {
    id: s.id,
    sha: s.sha,
    name: `${ownerOf(ctx.db, repo).login}/${repo.name}`,
    target_url: s.target_url,
    avatar_url: null,
    context: s.context,
    description: s.description,
    state: s.state,
    commit: {
      sha: c.sha,
      node_id: nodeId("Commit", s.id),
      commit: {
        author: c.author,
        committer: c.committer,
        message: c.message,
        tree: { sha: c.tree, url: `${repoApi}/git/trees/${c.tree}` },
        url: `${repoApi}/git/commits/${c.sha}`,
        comment_count: 0,
        verification: {
          verified: false,
          reason: "unsigned",
          signature: null,
          payload: null,
          verified_at: null,
        },
      },
      url: `${repoApi}/commits/${c.sha}`,
      html_url: `${repoWeb}/commit/${c.sha}`,
      comments_url: `${repoApi}/commits/${c.sha}/comments`,
      author: null,
      committer: null,
      parents: c.parents.map((p) => ({
        sha: p,
        url: `${repoApi}/commits/${p}`,
        html_url: `${repoWeb}/commit/${p}`,
      })),
    },
    branches,
    created_at: s.created_at,
    updated_at: s.updated_at,
  };
}
