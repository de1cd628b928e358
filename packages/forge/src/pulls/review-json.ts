/** Reviews as GitHub's `pull-request-review` (REST: upper-case state; webhooks: lower-case). */
import type { ForgeContext } from "../context.js";
import { ownerOf } from "../model/db.js";
import { nodeId } from "../model/node-id.js";
import type { RepoRow } from "../model/rows.js";
import { association } from "./pull-json.js";
import type { ReviewRow } from "./rows.js";

export function reviewJson(
  ctx: ForgeContext,
  repo: RepoRow,
  r: ReviewRow,
  webhook = false,
): Record<string, unknown> {
  const full = `${ownerOf(ctx.db, repo).login}/${repo.name}`;
  const pullUrl = `${ctx.urls.api}/repos/${full}/pulls/${r.pullNumber}`;
  const html = `${ctx.urls.web}/${full}/pull/${r.pullNumber}#pullrequestreview-${r.id}`;
  const user = ctx.db.users.get(r.userId);
  return {
    id: r.id,
    node_id: nodeId("PullRequestReview", r.id),
    user: user ? ctx.json.user(user) : null,
    body: r.body,
    state: webhook ? r.state.toLowerCase() : r.state,
    html_url: html,
    pull_request_url: pullUrl,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    ...(r.submitted_at !== null
      ? { submitted_at: r.submitted_at }
      : webhook
        ? { submitted_at: null }
        : {}),
    commit_id: r.commit_id,
    author_association: association(ctx, repo, user),
  };
}
