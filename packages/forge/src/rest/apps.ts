/**
 * GitHub App endpoints: the app itself and its installations (JWT), the
 * installation access token exchange, and what an installation token sees.
 */
import { issueInstallationToken } from "../admin/apps.js";
import { tokenCovers } from "../auth/access.js";
import type { ForgeContext } from "../context.js";
import { ForgeHttpError, notFound, validationFailed } from "../http/errors.js";
import { paginate } from "../http/paginate.js";
import { created, ok, type ForgeRequest, type Routes } from "../http/types.js";
import { installationJson, integrationJson } from "../model/app-json.js";
import { findRepo, findUser } from "../model/db.js";
import type { AppRow, InstallationRow } from "../model/rows.js";
import { requireApp, requireInstallation } from "./guards.js";

export function registerApps(routes: Routes, ctx: ForgeContext): void {
  const { db } = ctx;
  const instJson = (inst: InstallationRow, app: AppRow): Record<string, unknown> => {
    const account = db.users.get(inst.accountId);
    if (!account) throw notFound();
    return installationJson(ctx.urls, inst, app, account);
  };
  const appInstallation = (req: ForgeRequest): { app: AppRow; inst: InstallationRow } => {
    const app = requireApp(req.principal);
    const inst = db.installations.get(Number(req.params.installation_id));
    if (!inst || inst.appId !== app.id) throw notFound();
    return { app, inst };
  };

  routes.api("GET", "/app", (req) => {
    const app = requireApp(req.principal);
    const owner = db.users.get(app.ownerId);
    if (!owner) throw notFound();
    const count = db.installations.filter((i) => i.appId === app.id).length;
    return ok({ ...integrationJson(ctx.urls, app, owner), installations_count: count });
  });

  routes.api("GET", "/app/installations", (req) => {
    const app = requireApp(req.principal);
    const all = db.installations.filter((i) => i.appId === app.id);
    const page = paginate(all, req.url);
    return ok(
      page.items.map((i) => instJson(i, app)),
      page.link ? { Link: page.link } : undefined,
    );
  });

  routes.api("GET", "/app/installations/{installation_id}", (req) => {
    const { app, inst } = appInstallation(req);
    return ok(instJson(inst, app));
  });

  routes.api("GET", "/repos/{owner}/{repo}/installation", (req) => {
    const app = requireApp(req.principal);
    const repo = findRepo(db, req.params.owner ?? "", req.params.repo ?? "");
    const inst =
      repo &&
      db.installations.find(
        (i) =>
          i.appId === app.id &&
          i.accountId === repo.ownerId &&
          (i.repositorySelection === "all" || i.repositoryIds.includes(repo.id)),
      );
    if (!inst) throw notFound();
    return ok(instJson(inst, app));
  });

  for (const kind of ["orgs/{org}", "users/{username}"] as const) {
    routes.api("GET", `/${kind}/installation`, (req) => {
      const app = requireApp(req.principal);
      const account = findUser(db, req.params.org ?? req.params.username ?? "");
      const inst =
        account && db.installations.find((i) => i.appId === app.id && i.accountId === account.id);
      if (!inst) throw notFound();
      return ok(instJson(inst, app));
    });
  }

  routes.api("POST", "/app/installations/{installation_id}/access_tokens", async (req) => {
    const { app, inst } = appInstallation(req);
    const body = await req.body();
    const names = (body.optArray("repositories") ?? []).map(String);
    const ids = (body.optArray("repository_ids") ?? []).map(Number);
    const covered = db.repos.filter(
      (r) =>
        r.ownerId === inst.accountId &&
        (inst.repositorySelection === "all" || inst.repositoryIds.includes(r.id)),
    );
    for (const n of names) {
      const r = covered.find((c) => c.name.toLowerCase() === n.toLowerCase());
      if (!r)
        throw validationFailed(
          [{ resource: "Repository", code: "invalid", field: "repositories" }],
          `There is at least one repository that does not exist or is not accessible to the parent installation.`,
        );
      ids.push(r.id);
    }
    for (const id of ids) {
      if (!covered.some((c) => c.id === id)) {
        throw new ForgeHttpError(
          422,
          "There is at least one repository that does not exist or is not accessible to the parent installation.",
        );
      }
    }
    const permissions = body.optObject("permissions") as Record<string, string> | undefined;
    const narrowed = ids.length > 0 ? ids : undefined;
    const { token, row } = issueInstallationToken(ctx, inst, app, {
      ...(permissions ? { permissions } : {}),
      ...(narrowed ? { repositoryIds: narrowed } : {}),
    });
    const repos = narrowed ? covered.filter((r) => narrowed.includes(r.id)) : undefined;
    return created({
      token,
      expires_at: row.expires_at,
      permissions: row.permissions,
      repository_selection: narrowed ? "selected" : inst.repositorySelection,
      ...(repos ? { repositories: repos.map((r) => ctx.json.repo(r)) } : {}),
    });
  });

  routes.api("GET", "/installation/repositories", (req) => {
    const p = req.principal;
    const { installation } = requireInstallation(p);
    if (p.kind !== "installation") throw notFound();
    const repos = db.repos.filter((r) => tokenCovers(p, r));
    const page = paginate(repos, req.url);
    return ok(
      {
        total_count: repos.length,
        repositories: page.items.map((r) => ctx.json.repo(r)),
        repository_selection: p.token.repositoryIds ? "selected" : installation.repositorySelection,
      },
      page.link ? { Link: page.link } : undefined,
    );
  });
}
