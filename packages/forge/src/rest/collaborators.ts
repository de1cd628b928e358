/** Collaborators: add one, and the permission level a user holds. */
import { userRole } from "../auth/access.js";
import type { ForgeContext } from "../context.js";
import { notFound } from "../http/errors.js";
import { noContent, ok, type Routes } from "../http/types.js";
import { findUser } from "../model/db.js";
import type { RepoRole } from "../model/rows.js";

const ROLES: readonly RepoRole[] = ["pull", "triage", "push", "maintain", "admin"];
/** GitHub's legacy `permission` names for each role. */
const LEGACY: Record<RepoRole, string> = {
  pull: "read",
  triage: "read",
  push: "write",
  maintain: "write",
  admin: "admin",
};
const ROLE_NAME: Record<RepoRole, string> = {
  pull: "read",
  triage: "triage",
  push: "write",
  maintain: "maintain",
  admin: "admin",
};

export function registerCollaborators(routes: Routes, ctx: ForgeContext): void {
  const { db } = ctx;

  routes.api("PUT", "/repos/{owner}/{repo}/collaborators/{username}", async (req) => {
    const repo = ctx.repoFor(req, "administration", "admin");
    const user = findUser(db, req.params.username ?? "");
    if (!user || user.type !== "User") throw notFound();
    const permission = (await req.body()).optEnum("permission", ROLES) ?? "push";
    const existing = db.collaborators.find((c) => c.repoId === repo.id && c.userId === user.id);
    if (existing) db.collaborators.update(existing.id, { permission });
    else db.collaborators.insert({ repoId: repo.id, userId: user.id, permission });
    return noContent();
  });

  routes.api("GET", "/repos/{owner}/{repo}/collaborators/{username}/permission", (req) => {
    const repo = ctx.repoFor(req, "metadata", "read");
    const user = findUser(db, req.params.username ?? "");
    if (!user) throw notFound();
    const role = userRole(db, user, repo);
    const publicRead =
      !repo.private &&
      role === "pull" &&
      !db.orgMembers.find((m) => m.orgId === repo.ownerId && m.userId === user.id);
    const effective = publicRead ? undefined : role;
    const rank = effective ? ROLES.indexOf(effective) : -1;
    return ok({
      permission: effective ? LEGACY[effective] : "none",
      role_name: effective ? ROLE_NAME[effective] : "none",
      user: {
        ...ctx.json.user(user),
        permissions: {
          pull: rank >= 0,
          triage: rank >= 1,
          push: rank >= 2,
          maintain: rank >= 3,
          admin: rank >= 4,
        },
        role_name: effective ? ROLE_NAME[effective] : "none",
      },
    });
  });
}
