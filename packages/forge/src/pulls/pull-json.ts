/**
 * Renders a pull request as GitHub's `pull-request` (also valid as
 * `pull-request-simple` and inside webhook payloads). Line and commit
 * counts come from git at render time.
 */
import type { ForgeContext } from "../context.js";
import { diffFiles } from "../git/diff.js";
import { ownerOf } from "../model/db.js";
import { nodeId } from "../model/node-id.js";
import type { RepoRow, UserRow } from "../model/rows.js";
import { COMMENTS, type CommentRow, type PullRow } from "./rows.js";

/** GitHub's author_association for `user` on `repo`. */
export function association(ctx: ForgeContext, repo: RepoRow, user: UserRow | undefined): string {
  if (!user) return "NONE";
  if (user.id === repo.ownerId) return "OWNER";
  if (ctx.db.orgMembers.find((m) => m.orgId === repo.ownerId && m.userId === user.id))
    return "MEMBER";
  if (ctx.db.collaborators.find((c) => c.repoId === repo.id && c.userId === user.id))
    return "COLLABORATOR";
  return "NONE";
}

export async function mergeBaseOf(
  ctx: ForgeContext,
  repo: RepoRow,
  a: string,
  b: string,
): Promise<string | undefined> {
  const r = await ctx.git.run(repo.id, ["merge-base", a, b], { allowFail: true });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/**
 * Where a pull request's diff starts: the merge base with the base branch,
 * or for a merged one with the base as it was (the merge commit's first parent).
 */
export async function diffBase(ctx: ForgeContext, repo: RepoRow, pr: PullRow): Promise<string> {
  const base =
    pr.merge_commit_sha !== null
      ? await ctx.git.resolve(repo.id, `${pr.merge_commit_sha}^1`)
      : await ctx.git.resolve(repo.id, `refs/heads/${pr.baseRef}`);
  return (base && (await mergeBaseOf(ctx, repo, base, pr.headSha))) ?? pr.headSha;
}

export async function pullJson(
  ctx: ForgeContext,
  repo: RepoRow,
  pr: PullRow,
): Promise<Record<string, unknown>> {
  const owner = ownerOf(ctx.db, repo);
  const full = `${owner.login}/${repo.name}`;
  const api = `${ctx.urls.api}/repos/${full}`;
  const html = `${ctx.urls.web}/${full}`;
  const self = `${api}/pulls/${pr.number}`;
  const user = ctx.db.users.get(pr.userId);
  const mergedBy = pr.mergedById === null ? undefined : ctx.db.users.get(pr.mergedById);
  const baseSha = (await ctx.git.resolve(repo.id, `refs/heads/${pr.baseRef}`)) ?? pr.headSha;
  const mb = await diffBase(ctx, repo, pr);
  const files = await diffFiles(ctx.git, repo.id, mb, pr.headSha);
  const commits = Number(
    (
      await ctx.git.run(repo.id, ["rev-list", "--count", `${mb}..${pr.headSha}`], {
        allowFail: true,
      })
    ).stdout.trim() || "0",
  );
  const comments = ctx.store
    .table<CommentRow>(COMMENTS)
    .filter((c) => c.repoId === repo.id && c.issueNumber === pr.number).length;
  const side = (ref: string, sha: string) => ({
    label: `${owner.login}:${ref}`,
    ref,
    sha,
    user: ctx.json.user(owner),
    repo: ctx.json.repo(repo),
  });
  const link = (href: string) => ({ href });
  return {
    url: self,
    id: pr.id,
    node_id: nodeId("PullRequest", pr.id),
    html_url: `${html}/pull/${pr.number}`,
    diff_url: `${html}/pull/${pr.number}.diff`,
    patch_url: `${html}/pull/${pr.number}.patch`,
    issue_url: `${api}/issues/${pr.number}`,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pr.number}/comments`,
    statuses_url: `${api}/statuses/${pr.headSha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: user ? ctx.json.user(user) : null,
    body: pr.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: pr.created_at,
    updated_at: pr.updated_at,
    closed_at: pr.closed_at,
    merged_at: pr.merged_at,
    merge_commit_sha: pr.merge_commit_sha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(pr.headRef, pr.headSha),
    base: side(pr.baseRef, baseSha),
    _links: {
      self: link(self),
      html: link(`${html}/pull/${pr.number}`),
      issue: link(`${api}/issues/${pr.number}`),
      comments: link(`${api}/issues/${pr.number}/comments`),
      review_comments: link(`${self}/comments`),
      review_comment: link(`${api}/pulls/comments{/number}`),
      commits: link(`${self}/commits`),
      statuses: link(`${api}/statuses/${pr.headSha}`),
    },
    author_association: association(ctx, repo, user),
    auto_merge: null,
    draft: pr.draft,
    merged: pr.merged,
    mergeable: pr.state === "open" ? true : null,
    rebaseable: false,
    mergeable_state: pr.state === "open" ? "clean" : "unknown",
    merged_by: mergedBy ? ctx.json.user(mergedBy) : null,
    comments,
    review_comments: 0,
    maintainer_can_modify: false,
    commits,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changed_files: files.length,
  };
}
