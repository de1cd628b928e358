/** Raising `pull_request` webhooks and telling the Actions seam about them. */
import type { ForgeContext } from "../context.js";
import { changedFiles } from "../git/commit-log.js";
import type { RepoRow, UserRow } from "../model/rows.js";
import { diffBase, pullJson } from "./pull-json.js";
import type { PullRow } from "./rows.js";

/** Actions that start workflow runs for `on: pull_request` (GitHub's default activity types). */
const RUN_ACTIONS = new Set(["opened", "synchronize", "reopened"]);

export async function emitPull(
  ctx: ForgeContext,
  repo: RepoRow,
  pr: PullRow,
  action: string,
  sender: UserRow,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const payload = { number: pr.number, ...extra, pull_request: await pullJson(ctx, repo, pr) };
  ctx.webhooks.emit({ event: "pull_request", action, repo, sender, payload });
  if (!RUN_ACTIONS.has(action)) return;
  const base = await diffBase(ctx, repo, pr);
  const files = await changedFiles(ctx.git, repo.id, base, pr.headSha);
  ctx.hooks.onRepoEvent(repo, {
    name: "pull_request",
    action,
    payload: { action, ...payload, repository: ctx.json.repo(repo), sender: ctx.json.user(sender) },
    branch: pr.baseRef,
    changedFiles: files.map((f) => f.path),
  });
}
