/** Repositories: get, create (for the user, in an org), and the list endpoints. */
import { createRepository } from "../admin/repos.js";
import { userRole } from "../auth/access.js";
import type { Principal } from "../auth/principal.js";
import type { ForgeContext } from "../context.js";
import { forbidden, notFound } from "../http/errors.js";
import { paginate } from "../http/paginate.js";
import { created, ok, type ForgeRequest, type Reply, type Routes } from "../http/types.js";
import { findUser } from "../model/db.js";
import { repositoryJson, type RepoPermissions } from "../model/repo-json.js";
import type { RepoRow } from "../model/rows.js";
import { requireUser } from "./guards.js";

const RANKS = ["pull", "triage", "push", "maintain", "admin"] as const;

export function registerRepos(routes: Routes, ctx: ForgeContext): void {
  const { db } = ctx;

  const permissionsFor = (p: Principal, repo: RepoRow): RepoPermissions | undefined => {
    if (p.kind !== "user") return undefined;
    const role = userRole(db, p.user, repo);
    const rank = role ? RANKS.indexOf(role) : -1;
    return {
      pull: rank >= 0,
      triage: rank >= 1,
      push: rank >= 2,
      maintain: rank >= 3,
      admin: rank >= 4,
    };
  };
  const render = (req: ForgeRequest, repo: RepoRow): Record<string, unknown> => {
    const owner = db.users.get(repo.ownerId);
    if (!owner) throw notFound();
    return repositoryJson(ctx.urls, repo, owner, permissionsFor(req.principal, repo));
  };
  const visible = (p: Principal, repo: RepoRow): boolean => {
    if (!repo.private) return true;
    if (p.kind === "user") return userRole(db, p.user, repo) !== undefined;
    return false;
  };
  const list = (req: ForgeRequest, repos: RepoRow[]): Reply => {
    const page = paginate(repos, req.url);
    return ok(
      page.items.map((r) => render(req, r)),
      page.link ? { Link: page.link } : undefined,
    );
  };

  routes.api("GET", "/repos/{owner}/{repo}", (req) =>
    ok(render(req, ctx.repoFor(req, "metadata", "read"))),
  );

  routes.api("POST", "/user/repos", async (req) => {
    const user = requireUser(req.principal);
    const body = await req.body();
    const repo = await createRepository(ctx, user, body.string("name"), {
      private: body.optBool("private") ?? false,
      description: body.optString("description") ?? null,
    });
    return created(render(req, repo));
  });

  routes.api("POST", "/orgs/{org}/repos", async (req) => {
    const user = requireUser(req.principal);
    const org = findUser(db, req.params.org ?? "");
    if (!org || org.type !== "Organization") throw notFound();
    const member = db.orgMembers.find((m) => m.orgId === org.id && m.userId === user.id);
    if (!member && !user.site_admin)
      throw forbidden(
        "You need admin access to the organization before adding a repository to it.",
      );
    const body = await req.body();
    const repo = await createRepository(ctx, org, body.string("name"), {
      private: body.optBool("private") ?? (body.optString("visibility") ?? "public") !== "public",
      description: body.optString("description") ?? null,
    });
    return created(render(req, repo));
  });

  routes.api("GET", "/user/repos", (req) => {
    const user = requireUser(req.principal);
    const affiliated = (r: RepoRow): boolean =>
      r.ownerId === user.id ||
      db.collaborators.find((c) => c.repoId === r.id && c.userId === user.id) !== undefined ||
      db.orgMembers.find((m) => m.orgId === r.ownerId && m.userId === user.id) !== undefined;
    return list(req, db.repos.filter(affiliated));
  });

  for (const path of ["/users/{username}/repos", "/orgs/{org}/repos"] as const) {
    routes.api("GET", path, (req) => {
      const account = findUser(db, req.params.username ?? req.params.org ?? "");
      if (!account) throw notFound();
      return list(
        req,
        db.repos.filter((r) => r.ownerId === account.id && visible(req.principal, r)),
      );
    });
  }
}
