/**
 * GHES site-admin endpoints (create users and organizations, impersonation
 * tokens) and the forge-only ones under `/_forge` that GitHub has no API for
 * (installing an app, registering one from a manifest, faults). All need
 * the site administrator's token.
 */
import { addOrgMember, createAccount, issueUserToken } from "../admin/accounts.js";
import { installApp, registerApp } from "../admin/apps.js";
import type { ForgeContext } from "../context.js";
import { ForgeHttpError, notFound } from "../http/errors.js";
import type { Fault } from "../http/faults.js";
import { created, noContent, ok, type Routes } from "../http/types.js";
import { findRepo, findUser } from "../model/db.js";
import type { AppManifest } from "../types.js";
import { organizationSimple } from "../model/user-json.js";
import { requireSiteAdmin } from "./guards.js";

export function registerAdmin(routes: Routes, ctx: ForgeContext): void {
  const { db } = ctx;

  routes.api("POST", "/admin/users", async (req) => {
    requireSiteAdmin(req.principal);
    const body = await req.body();
    const user = createAccount(ctx, body.string("login"), "User", {
      email: body.optString("email") ?? null,
    });
    return created(ctx.json.user(user));
  });

  routes.api("POST", "/admin/organizations", async (req) => {
    requireSiteAdmin(req.principal);
    const body = await req.body();
    const admin = findUser(db, body.string("admin"));
    if (!admin) throw notFound();
    const org = createAccount(ctx, body.string("login"), "Organization");
    addOrgMember(ctx, org, admin, "admin");
    return created(organizationSimple(ctx.urls, org));
  });

  routes.api("POST", "/admin/users/{username}/authorizations", async (req) => {
    requireSiteAdmin(req.principal);
    const user = findUser(db, req.params.username ?? "");
    if (!user || user.type !== "User") throw notFound();
    const body = await req.body();
    const scopes = (body.optArray("scopes") ?? []).map(String);
    const { token, row } = issueUserToken(ctx, user, "impersonation");
    const now = ctx.now().toISOString();
    return created({
      id: row.id,
      url: `${ctx.urls.api}/authorizations/${row.id}`,
      scopes,
      token,
      token_last_eight: token.slice(-8),
      hashed_token: row.hash,
      app: { client_id: "forge", name: "Site admin impersonation", url: ctx.urls.web },
      note: null,
      note_url: null,
      updated_at: now,
      created_at: now,
      fingerprint: null,
      expires_at: null,
      user: ctx.json.user(user),
    });
  });

  routes.api("POST", "/_forge/apps", async (req) => {
    const admin = requireSiteAdmin(req.principal);
    const body = await req.body();
    const owner = body.has("owner") ? findUser(db, body.string("owner")) : admin;
    if (!owner) throw notFound();
    const { registered } = await registerApp(ctx, body.data as unknown as AppManifest, owner);
    return created(registered);
  });

  routes.api("POST", "/_forge/apps/{app_id}/installations", async (req) => {
    const admin = requireSiteAdmin(req.principal);
    const app = db.apps.get(Number(req.params.app_id));
    if (!app) throw notFound();
    const body = await req.body();
    const account = findUser(db, body.string("account"));
    if (!account) throw notFound();
    const names = body.optArray("repositories")?.map(String);
    const ids = names?.map((n) => {
      const r = findRepo(db, account.login, n);
      if (!r) throw notFound();
      return r.id;
    });
    const inst = installApp(ctx, app, account, ids, admin);
    return created({ id: inst.id });
  });

  routes.api("POST", "/_forge/faults", async (req) => {
    requireSiteAdmin(req.principal);
    const body = await req.body();
    const status = body.optInt("status") ?? 500;
    if (![500, 502, 503, 403, 429].includes(status))
      throw new ForgeHttpError(422, "status must be 500, 502, 503, 403 or 429");
    const route = body.string("route");
    const fault: Fault = {
      route: body.optBool("regex") ? new RegExp(route) : route,
      status: status as Fault["status"],
      times: body.optInt("times") ?? 1,
    };
    const method = body.optString("method");
    if (method !== undefined) fault.method = method;
    if (body.optBool("rate_limit")) fault.rateLimit = true;
    if (body.optBool("interrupt_upload")) fault.interruptUpload = true;
    const delay = body.optInt("delay_ms");
    if (delay !== undefined) fault.delayMs = delay;
    ctx.faults.set(fault);
    return noContent();
  });

  routes.api("DELETE", "/_forge/faults", (req) => {
    requireSiteAdmin(req.principal);
    ctx.faults.clear();
    return noContent();
  });

  routes.api("GET", "/_forge/idle", async (req) => {
    requireSiteAdmin(req.principal);
    await ctx.background.idle();
    return ok({ idle: true });
  });
}
