/**
 * A pull request's timeline (`GET /issues/{n}/timeline`), holding what the
 * forge records: `base_ref_changed`, written when a PR's base is changed.
 * GitHub serves it as a generic issue event (`state-change-issue-event`'s
 * shape); apps read it to learn when a PR was retargeted.
 */
import type { ForgeContext } from "../context.js";
import { ForgeHttpError, notFound } from "../http/errors.js";
import { paginate } from "../http/paginate.js";
import { ok, type ForgeRequest, type Routes } from "../http/types.js";
import { ownerOf } from "../model/db.js";
import { nodeId } from "../model/node-id.js";
import type { RepoRow, UserRow } from "../model/rows.js";
import { ISSUE_EVENTS, PULLS, type IssueEventRow, type PullRow } from "../pulls/rows.js";

/** Records that `actor` changed the base of pull request `pr` now. */
export function recordBaseChange(
  ctx: ForgeContext,
  repo: RepoRow,
  pr: PullRow,
  actor: UserRow,
): void {
  ctx.store.table<IssueEventRow>(ISSUE_EVENTS).insert({
    repoId: repo.id,
    issueNumber: pr.number,
    actorId: actor.id,
    event: "base_ref_changed",
    created_at: ctx.now().toISOString(),
  });
}

export function registerTimeline(routes: Routes, ctx: ForgeContext): void {
  const events = ctx.store.table<IssueEventRow>(ISSUE_EVENTS);
  const pulls = ctx.store.table<PullRow>(PULLS);
  /** Either permission reads a pull request's timeline, as on GitHub. */
  const repoFor = (req: ForgeRequest): RepoRow => {
    try {
      return ctx.repoFor(req, "issues", "read");
    } catch (e) {
      if (e instanceof ForgeHttpError && e.status === 403)
        return ctx.repoFor(req, "pull_requests", "read");
      throw e;
    }
  };

  routes.api("GET", "/repos/{owner}/{repo}/issues/{issue_number}/timeline", (req) => {
    const repo = repoFor(req);
    const n = Number(req.params.issue_number);
    if (!pulls.find((p) => p.repoId === repo.id && p.number === n)) throw notFound();
    const api = `${ctx.urls.api}/repos/${ownerOf(ctx.db, repo).login}/${repo.name}`;
    const all = events.filter((e) => e.repoId === repo.id && e.issueNumber === n);
    const page = paginate(all, req.url);
    return ok(
      page.items.map((e) => {
        const actor = ctx.db.users.get(e.actorId);
        return {
          id: e.id,
          node_id: nodeId("BaseRefChangedEvent", e.id),
          url: `${api}/issues/events/${String(e.id)}`,
          actor: actor ? ctx.json.user(actor) : null,
          event: e.event,
          commit_id: null,
          commit_url: null,
          created_at: e.created_at,
          performed_via_github_app: null,
        };
      }),
      page.link ? { Link: page.link } : undefined,
    );
  });
}
