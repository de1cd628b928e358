/**
 * GitHub's app manifest flow without the web page: a site admin posts a
 * manifest to `/_forge/app-manifests` and gets the one-time `code` GitHub
 * would put in the redirect; `POST /app-manifests/{code}/conversions` (what
 * Probot's setup calls) registers the app and returns its key and secrets.
 * Codes are single-use and expire after an hour, as on GitHub.
 */
import { registerApp } from "../admin/apps.js";
import { randomHex } from "../auth/tokens.js";
import type { ForgeContext } from "../context.js";
import { notFound } from "../http/errors.js";
import { created, type Routes } from "../http/types.js";
import { integrationJson } from "../model/app-json.js";
import { findUser } from "../model/db.js";
import type { Row } from "../persistence/state-tables.js";
import type { AppManifest } from "../types.js";
import { requireSiteAdmin } from "./guards.js";

interface ManifestCodeRow extends Row {
  code: string;
  manifest: AppManifest;
  ownerId: number;
  expires_at: string;
}

const CODE_TTL_MS = 60 * 60 * 1000;

export function registerAppManifests(routes: Routes, ctx: ForgeContext): void {
  const codes = ctx.store.table<ManifestCodeRow>("app_manifest_codes");

  routes.api("POST", "/_forge/app-manifests", async (req) => {
    const admin = requireSiteAdmin(req.principal);
    const body = await req.body();
    const manifest = (body.optObject("manifest") ?? body.data) as unknown as AppManifest;
    const owner = body.has("owner") ? findUser(ctx.db, body.string("owner")) : admin;
    if (!owner) throw notFound();
    const code = randomHex(10);
    const expires = new Date(ctx.now().getTime() + CODE_TTL_MS).toISOString();
    codes.insert({ code, manifest, ownerId: owner.id, expires_at: expires });
    return created({ code });
  });

  routes.api("POST", "/app-manifests/{code}/conversions", async (req) => {
    const row = codes.find((c) => c.code === req.params.code);
    if (!row || Date.parse(row.expires_at) <= ctx.now().getTime()) throw notFound();
    codes.remove(row.id);
    const owner = ctx.db.users.get(row.ownerId);
    if (!owner) throw notFound();
    const { app, registered } = await registerApp(ctx, row.manifest, owner);
    return created({
      ...integrationJson(ctx.urls, app, owner),
      client_id: app.clientId,
      client_secret: randomHex(20),
      webhook_secret: registered.webhookSecret,
      pem: registered.privateKeyPem,
    });
  });
}
