/** Accounts: the authenticated user, users and organizations by name. */
import type { ForgeContext } from "../context.js";
import { notFound } from "../http/errors.js";
import { ok, type Routes } from "../http/types.js";
import { findUser } from "../model/db.js";
import { nodeId } from "../model/node-id.js";
import { organizationSimple, publicUser } from "../model/user-json.js";
import { requireUser } from "./guards.js";

export function registerUsers(routes: Routes, ctx: ForgeContext): void {
  const { db } = ctx;

  routes.api("GET", "/user", (req) => ok(publicUser(ctx.urls, requireUser(req.principal))));

  routes.api("GET", "/users/{username}", (req) => {
    const user = findUser(db, req.params.username ?? "");
    if (!user) throw notFound();
    return ok(publicUser(ctx.urls, user));
  });

  routes.api("GET", "/orgs/{org}", (req) => {
    const org = findUser(db, req.params.org ?? "");
    if (!org || org.type !== "Organization") throw notFound();
    return ok({
      ...organizationSimple(ctx.urls, org),
      node_id: nodeId("Organization", org.id),
      has_organization_projects: false,
      has_repository_projects: false,
      public_repos: db.repos.filter((r) => r.ownerId === org.id && !r.private).length,
      public_gists: 0,
      followers: 0,
      following: 0,
      html_url: `${ctx.urls.web}/${org.login}`,
      type: "Organization",
      created_at: org.created_at,
      updated_at: org.created_at,
      archived_at: null,
    });
  });
}
