/**
 * The token a workflow run gets as GITHUB_TOKEN: read-only (contents and
 * actions read), limited to the run's repository, acting as
 * `github-actions[bot]`, and revoked when the run ends.
 */
import { createAccount } from "../admin/accounts.js";
import { hashToken, newToken } from "../auth/tokens.js";
import type { ForgeContext } from "../context.js";
import { findUser } from "../model/db.js";
import type { RepoRow } from "../model/rows.js";

const ACTIONS_BOT = "github-actions[bot]";
const RUN_TOKEN_TTL_MS = 6 * 60 * 60 * 1000;

export function issueRunToken(
  ctx: ForgeContext,
  repo: RepoRow,
  runId: number,
): { token: string; revoke: () => void } {
  if (!findUser(ctx.db, ACTIONS_BOT)) createAccount(ctx, ACTIONS_BOT, "Bot");
  const token = newToken("ghs");
  const now = ctx.now();
  const row = ctx.db.tokens.insert({
    hash: hashToken(token),
    kind: "run",
    permissions: { metadata: "read", contents: "read", actions: "read" },
    repositoryIds: [repo.id],
    expires_at: new Date(now.getTime() + RUN_TOKEN_TTL_MS).toISOString(),
    created_at: now.toISOString(),
    note: `workflow run ${runId}`,
  });
  return {
    token,
    revoke: () => void ctx.db.tokens.update(row.id, { expires_at: ctx.now().toISOString() }),
  };
}
