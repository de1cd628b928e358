/**
 * The token a workflow run gets as GITHUB_TOKEN: read-only (contents and
 * actions read, metadata), limited to the run's repository, acting as
 * `github-actions[bot]`, and expiring like a job token. Never a secret of
 * the repository, never write access: builds of untrusted pull requests run
 * with it.
 */
import { createAccount } from "../admin/accounts.js";
import type { ForgeContext } from "../context.js";
import type { Permissions, RepoRow, TokenRow } from "../model/rows.js";
import { hashToken, newToken } from "./tokens.js";

export const ACTIONS_BOT = "github-actions[bot]";
const RUN_TOKEN_TTL_MS = 6 * 60 * 60 * 1000;
const RUN_PERMISSIONS: Permissions = { contents: "read", actions: "read", metadata: "read" };

export function issueRunToken(ctx: ForgeContext, repo: RepoRow): { token: string; row: TokenRow } {
  if (!ctx.db.users.find((u) => u.login === ACTIONS_BOT)) createAccount(ctx, ACTIONS_BOT, "Bot");
  const token = newToken("ghs");
  const now = ctx.now();
  const row = ctx.db.tokens.insert({
    hash: hashToken(token),
    kind: "run",
    permissions: { ...RUN_PERMISSIONS },
    repositoryIds: [repo.id],
    expires_at: new Date(now.getTime() + RUN_TOKEN_TTL_MS).toISOString(),
    created_at: now.toISOString(),
  });
  return { token, row };
}
