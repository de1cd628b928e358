/**
 * The site administrator (GHES's first account): created on first start,
 * its token kept in `<dataDir>/admin-token` (mode 0600) so a restarted forge
 * and `livepatch-forge` hand out the same one.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { createAccount, issueUserToken } from "./admin/accounts.js";
import { hashToken } from "./auth/tokens.js";
import type { ForgeContext } from "./context.js";
import { findUser } from "./model/db.js";

export const SITE_ADMIN_LOGIN = "forge-admin";

export async function ensureSiteAdmin(ctx: ForgeContext): Promise<string> {
  const file = join(ctx.dataDir, "admin-token");
  const admin =
    findUser(ctx.db, SITE_ADMIN_LOGIN) ??
    createAccount(ctx, SITE_ADMIN_LOGIN, "User", { siteAdmin: true });
  let token: string | undefined;
  try {
    token = (await readFile(file, "utf8")).trim();
  } catch {
    token = undefined;
  }
  if (token && ctx.db.tokens.find((t) => t.hash === hashToken(token ?? ""))) return token;
  const issued = issueUserToken(ctx, admin, "site admin");
  await ctx.store.commit();
  await writeFileAtomic(file, issued.token + "\n", { mode: 0o600 });
  return issued.token;
}
