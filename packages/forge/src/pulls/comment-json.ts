/** Issue comments (`issue-comment`) and the issue view of a pull request that webhooks carry. */
import type { ForgeContext } from "../context.js";
import { integrationJson } from "../model/app-json.js";
import { ownerOf } from "../model/db.js";
import { nodeId } from "../model/node-id.js";
import type { RepoRow } from "../model/rows.js";
import { association } from "./pull-json.js";
import type { CommentRow, PullRow } from "./rows.js";

const NO_REACTIONS = (url: string) => ({
  url,
  total_count: 0,
  "+1": 0,
  "-1": 0,
  laugh: 0,
  confused: 0,
  heart: 0,
  hooray: 0,
  eyes: 0,
  rocket: 0,
});

export function commentJson(
  ctx: ForgeContext,
  repo: RepoRow,
  c: CommentRow,
): Record<string, unknown> {
  const full = `${ownerOf(ctx.db, repo).login}/${repo.name}`;
  const api = `${ctx.urls.api}/repos/${full}`;
  const url = `${api}/issues/comments/${c.id}`;
  const user = ctx.db.users.get(c.userId);
  const app = c.appId === null ? undefined : ctx.db.apps.get(c.appId);
  const appOwner = app ? ctx.db.users.get(app.ownerId) : undefined;
  return {
    id: c.id,
    node_id: nodeId("IssueComment", c.id),
    url,
    html_url: `${ctx.urls.web}/${full}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    body: c.body,
    user: user ? ctx.json.user(user) : null,
    created_at: c.created_at,
    updated_at: c.updated_at,
    issue_url: `${api}/issues/${c.issueNumber}`,
    author_association: association(ctx, repo, user),
    performed_via_github_app: app && appOwner ? integrationJson(ctx.urls, app, appOwner) : null,
    reactions: NO_REACTIONS(`${url}/reactions`),
  };
}

export function issueOfPullJson(
  ctx: ForgeContext,
  repo: RepoRow,
  pr: PullRow,
  comments: number,
): Record<string, unknown> {
  const full = `${ownerOf(ctx.db, repo).login}/${repo.name}`;
  const api = `${ctx.urls.api}/repos/${full}`;
  const url = `${api}/issues/${pr.number}`;
  const html = `${ctx.urls.web}/${full}/pull/${pr.number}`;
  const user = ctx.db.users.get(pr.userId);
  return {
    url,
    repository_url: api,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: html,
    id: pr.id,
    node_id: nodeId("Issue", pr.id),
    number: pr.number,
    title: pr.title,
    user: user ? ctx.json.user(user) : null,
    labels: [],
    state: pr.state,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments,
    created_at: pr.created_at,
    updated_at: pr.updated_at,
    closed_at: pr.closed_at,
    author_association: association(ctx, repo, user),
    active_lock_reason: null,
    body: pr.body,
    reactions: NO_REACTIONS(`${url}/reactions`),
    pull_request: {
      url: `${api}/pulls/${pr.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: pr.merged_at,
    },
  };
}
