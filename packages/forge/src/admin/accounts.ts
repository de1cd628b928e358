/**
 * Accounts: users, organizations, teams, memberships and user tokens, shared
 * by the admin REST endpoints (GHES site admin API) and the Forge handle.
 */
import { hashToken, newToken } from "../auth/tokens.js";
import type { ForgeContext } from "../context.js";
import { validationFailed } from "../http/errors.js";
import { findUser } from "../model/db.js";
import type { TeamRow, TokenRow, UserRow } from "../model/rows.js";

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

export function createAccount(
  ctx: ForgeContext,
  login: string,
  type: UserRow["type"],
  opts: { siteAdmin?: boolean; email?: string | null } = {},
): UserRow {
  if (!LOGIN.test(login)) {
    throw validationFailed([{ resource: "User", code: "invalid", field: "login" }]);
  }
  if (findUser(ctx.db, login)) {
    throw validationFailed([{ resource: "User", code: "already_exists", field: "login" }]);
  }
  return ctx.db.users.insert({
    login,
    type,
    site_admin: opts.siteAdmin ?? false,
    name: null,
    email: opts.email ?? null,
    created_at: ctx.now().toISOString(),
  });
}

/** A personal access token (`ghp_…`) for `user`, stored hashed. */
export function issueUserToken(
  ctx: ForgeContext,
  user: UserRow,
  note?: string,
): { token: string; row: TokenRow } {
  const token = newToken("ghp");
  const row = ctx.db.tokens.insert({
    hash: hashToken(token),
    kind: "user",
    userId: user.id,
    permissions: {},
    created_at: ctx.now().toISOString(),
    ...(note !== undefined ? { note } : {}),
  });
  return { token, row };
}

export function addOrgMember(
  ctx: ForgeContext,
  org: UserRow,
  user: UserRow,
  role: "admin" | "member",
): void {
  const existing = ctx.db.orgMembers.find((m) => m.orgId === org.id && m.userId === user.id);
  if (existing) ctx.db.orgMembers.update(existing.id, { role });
  else ctx.db.orgMembers.insert({ orgId: org.id, userId: user.id, role });
}

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export function createTeam(
  ctx: ForgeContext,
  org: UserRow,
  name: string,
  description: string | null,
): TeamRow {
  const slug = slugify(name);
  if (ctx.db.teams.find((t) => t.orgId === org.id && t.slug === slug)) {
    throw validationFailed([{ resource: "Team", code: "already_exists", field: "name" }]);
  }
  const now = ctx.now().toISOString();
  return ctx.db.teams.insert({
    orgId: org.id,
    name,
    slug,
    description,
    privacy: "closed",
    permission: "pull",
    created_at: now,
    updated_at: now,
  });
}

export function setTeamMember(
  ctx: ForgeContext,
  team: TeamRow,
  user: UserRow,
  role: "member" | "maintainer",
): void {
  const existing = ctx.db.teamMembers.find((m) => m.teamId === team.id && m.userId === user.id);
  if (existing) ctx.db.teamMembers.update(existing.id, { role });
  else ctx.db.teamMembers.insert({ teamId: team.id, userId: user.id, role });
  const org = ctx.db.users.get(team.orgId);
  if (org && !ctx.db.orgMembers.find((m) => m.orgId === org.id && m.userId === user.id)) {
    addOrgMember(ctx, org, user, "member");
  }
}
