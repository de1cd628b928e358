/**
 * Who may do what to a repository. Users get a role (owner/org admin/site
 * admin: admin; collaborators: their role; org members: pull); installation
 * tokens get their permission map, limited to the repositories the
 * installation (and the token) covers. A repository the caller cannot see
 * is a 404, never a 403, so its existence does not leak.
 */
import {
  ForgeHttpError,
  forbidden,
  notAccessibleByIntegration,
  notFound,
  requiresAuthentication,
} from "../http/errors.js";
import type { Db } from "../model/db.js";
import type { Level, RepoRole, RepoRow, UserRow } from "../model/rows.js";
import type { Principal } from "./principal.js";

const ROLE_RANK: Record<RepoRole, number> = { pull: 1, triage: 2, push: 3, maintain: 4, admin: 5 };
const LEVEL_RANK: Record<Level, number> = { read: 1, write: 2, admin: 3 };
const LEVEL_ROLE: Record<Level, RepoRole> = { read: "pull", write: "push", admin: "admin" };

/** The role a user holds on a repository, or undefined for none. */
export function userRole(db: Db, user: UserRow, repo: RepoRow): RepoRole | undefined {
  if (user.site_admin || user.id === repo.ownerId) return "admin";
  const member = db.orgMembers.find((m) => m.orgId === repo.ownerId && m.userId === user.id);
  if (member?.role === "admin") return "admin";
  const collab = db.collaborators.find((c) => c.repoId === repo.id && c.userId === user.id);
  if (collab) return collab.permission;
  if (member || !repo.private) return "pull";
  return undefined;
}

/** True when an installation (and its token) covers `repo`. */
export function tokenCovers(
  p: Extract<Principal, { kind: "installation" }>,
  repo: RepoRow,
): boolean {
  if (p.token.repositoryIds && !p.token.repositoryIds.includes(repo.id)) return false;
  const inst = p.installation;
  if (!inst) return p.token.repositoryIds !== undefined;
  if (inst.accountId !== repo.ownerId) return false;
  return inst.repositorySelection === "all" || inst.repositoryIds.includes(repo.id);
}

/**
 * Refuses the call unless `p` holds `level` on `repo` for `permission` (an
 * app permission name: contents, pull_requests, checks, …; users are checked
 * by role, which covers every permission).
 */
export function checkRepoAccess(
  db: Db,
  p: Principal,
  repo: RepoRow,
  permission: string,
  level: Level,
): void {
  switch (p.kind) {
    case "anonymous":
      if (repo.private) throw notFound();
      if (level !== "read") throw requiresAuthentication();
      return;
    case "app":
      throw new ForgeHttpError(
        403,
        "This endpoint requires you to authenticate as an installation of the app, not the app itself.",
      );
    case "user": {
      const role = userRole(db, p.user, repo);
      if (!role) throw notFound();
      if (ROLE_RANK[role] >= ROLE_RANK[LEVEL_ROLE[level]]) return;
      if (level === "admin") throw forbidden("Must have admin rights to Repository.");
      throw forbidden(`Must have push access to repository.`);
    }
    case "installation": {
      if (!tokenCovers(p, repo)) {
        if (!repo.private && level === "read") return;
        throw notFound();
      }
      const granted = permission === "metadata" ? "read" : p.token.permissions[permission];
      if (granted === undefined || LEVEL_RANK[granted] < LEVEL_RANK[level]) {
        throw notAccessibleByIntegration();
      }
      return;
    }
  }
}
