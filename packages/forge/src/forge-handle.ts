/**
 * The Forge handle tests and `livepatch-forge` hold: URLs, close(), and admin
 * helpers that do what a site administrator would (through the same code
 * the REST endpoints use).
 */
import type { Server } from "node:http";
import {
  addOrgMember,
  createAccount,
  createTeam,
  issueUserToken,
  setTeamMember,
} from "./admin/accounts.js";
import { installApp, registerApp } from "./admin/apps.js";
import { createRepository } from "./admin/repos.js";
import { ForgeError } from "./errors.js";
import type { ForgeContext } from "./context.js";
import { findRepo, findUser } from "./model/db.js";
import type { RepoRole, UserRow } from "./model/rows.js";
import { SITE_ADMIN_LOGIN } from "./site-admin.js";
import type { Forge } from "./types.js";

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new ForgeError("FORGE_HTTP", `forge: no such ${what}`);
  return value;
}

export function forgeHandle(
  ctx: ForgeContext,
  server: Server,
  port: number,
  adminToken: string,
): Forge {
  const { db } = ctx;
  const user = (login: string): UserRow => must(findUser(db, login), `account ${login}`);
  const admin = (): UserRow => user(SITE_ADMIN_LOGIN);
  const commit = (): Promise<void> => ctx.store.commit();
  return {
    url: ctx.urls.web,
    apiUrl: ctx.urls.api,
    uploadsUrl: ctx.urls.uploads,
    port,
    adminToken,
    async close(opts = {}) {
      if (opts.cancelRuns === true) ctx.background.cancelRuns();
      await ctx.background.idle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await commit();
    },
    async createUser(login, opts = {}) {
      const u = createAccount(ctx, login, "User", {
        siteAdmin: opts.siteAdmin ?? false,
        email: opts.email ?? `${login}@forge.local`,
      });
      const { token } = issueUserToken(ctx, u);
      await commit();
      return { id: u.id, login: u.login, token };
    },
    async createOrg(login, adminLogin) {
      const org = createAccount(ctx, login, "Organization");
      addOrgMember(ctx, org, user(adminLogin), "admin");
      await commit();
      return { id: org.id, login: org.login };
    },
    async createTeam(org, name, members = []) {
      const team = createTeam(ctx, user(org), name, null);
      for (const m of members) setTeamMember(ctx, team, user(m), "member");
      await commit();
      return { id: team.id, slug: team.slug };
    },
    async addCollaborator(owner, repo, login, permission = "push") {
      const r = must(findRepo(db, owner, repo), `repository ${owner}/${repo}`);
      const u = user(login);
      const existing = db.collaborators.find((c) => c.repoId === r.id && c.userId === u.id);
      if (existing) db.collaborators.update(existing.id, { permission: permission as RepoRole });
      else
        db.collaborators.insert({ repoId: r.id, userId: u.id, permission: permission as RepoRole });
      await commit();
    },
    async createRepo(owner, name, opts = {}) {
      const r = await createRepository(ctx, user(owner), name, {
        private: opts.private ?? false,
        description: opts.description ?? null,
        defaultBranch: opts.defaultBranch ?? "main",
      });
      const fullName = `${user(owner).login}/${r.name}`;
      return { id: r.id, fullName, cloneUrl: `${ctx.urls.web}/${fullName}.git` };
    },
    async registerApp(manifest, ownerLogin) {
      const { registered } = await registerApp(
        ctx,
        manifest,
        ownerLogin ? user(ownerLogin) : admin(),
      );
      return registered;
    },
    async installApp(appId, account, repos) {
      const app = must(db.apps.get(appId), `app ${appId}`);
      const acct = user(account);
      const ids = repos?.map((n) => must(findRepo(db, acct.login, n), `repository ${n}`).id);
      const inst = installApp(ctx, app, acct, ids, admin());
      await commit();
      return inst.id;
    },
    setFault: (fault) => ctx.faults.set(fault),
    lieAboutArtifact: (lie) => ctx.faults.lieAboutArtifact(lie),
    artifactLie: (name) => {
      const lie = ctx.faults.artifactLie(name);
      return lie && { ...lie };
    },
    clearFaults: () => ctx.faults.clear(),
    async deliveries() {
      const rows = ctx.webhooks.deliveries.all();
      return Promise.all(
        rows.map(async (d) => ({
          id: d.id,
          guid: d.guid,
          event: d.event,
          action: d.action,
          status_code: d.status_code,
          redelivery: d.redelivery,
          ...(d.violation !== undefined ? { violation: d.violation } : {}),
          payload: (await ctx.webhooks.detail(d.id)).request.payload,
        })),
      );
    },
    waitIdle: () => ctx.background.idle(),
  };
}
