/**
 * GitHub Apps: registration from a manifest (what the manifest flow
 * creates), installation on an account, and installation access tokens.
 */
import { newAppKeyPair } from "../auth/app-keys.js";
import { isPermissionName } from "../auth/permission-names.js";
import { hashToken, newToken, randomHex } from "../auth/tokens.js";
import type { ForgeContext } from "../context.js";
import { ForgeHttpError, validationFailed } from "../http/errors.js";
import type {
  AppRow,
  InstallationRow,
  Level,
  Permissions,
  TokenRow,
  UserRow,
} from "../model/rows.js";
import { installationJson } from "../model/app-json.js";
import type { AppManifest, RegisteredApp } from "../types.js";
import { createAccount, slugify } from "./accounts.js";

const LEVELS: readonly string[] = ["read", "write", "admin"];
const RANK: Record<Level, number> = { read: 1, write: 2, admin: 3 };
const TOKEN_TTL_MS = 60 * 60 * 1000;

function permissionsOf(raw: Record<string, string> | undefined): Permissions {
  const out: Permissions = { metadata: "read" };
  for (const [name, level] of Object.entries(raw ?? {})) {
    if (!LEVELS.includes(level) || !isPermissionName(name)) {
      throw validationFailed([
        { resource: "Integration", code: "invalid", field: `default_permissions.${name}` },
      ]);
    }
    out[name] = level as Level;
  }
  return out;
}

export async function registerApp(
  ctx: ForgeContext,
  manifest: AppManifest,
  owner: UserRow,
): Promise<{ app: AppRow; registered: RegisteredApp }> {
  const slug = slugify(manifest.name);
  if (!slug) throw validationFailed([{ resource: "Integration", code: "invalid", field: "name" }]);
  if (ctx.db.apps.find((a) => a.slug === slug)) {
    throw validationFailed([{ resource: "Integration", code: "already_exists", field: "name" }]);
  }
  const keys = await newAppKeyPair();
  const now = ctx.now().toISOString();
  const webhookSecret = randomHex(20);
  createAccount(ctx, `${slug}[bot]`, "Bot");
  const app = ctx.db.apps.insert({
    slug,
    name: manifest.name,
    ownerId: owner.id,
    description: manifest.description ?? null,
    external_url: manifest.url ?? ctx.urls.web,
    hookUrl: manifest.hook_attributes?.url ?? null,
    hookActive: manifest.hook_attributes?.active ?? true,
    webhookSecret,
    publicKeyPem: keys.publicKeyPem,
    clientId: `Iv1.${randomHex(8)}`,
    permissions: permissionsOf(manifest.default_permissions),
    events: manifest.default_events ?? [],
    created_at: now,
    updated_at: now,
  });
  await ctx.store.commit();
  return {
    app,
    registered: {
      appId: app.id,
      slug,
      clientId: app.clientId,
      privateKeyPem: keys.privateKeyPem,
      webhookSecret,
    },
  };
}

/** Installs `app` on `account` (all repositories, or the given ones) and sends `installation.created`. */
export function installApp(
  ctx: ForgeContext,
  app: AppRow,
  account: UserRow,
  repositoryIds: number[] | undefined,
  sender: UserRow,
): InstallationRow {
  if (ctx.db.installations.find((i) => i.appId === app.id && i.accountId === account.id)) {
    throw validationFailed([
      { resource: "Installation", code: "already_exists", field: "account" },
    ]);
  }
  const now = ctx.now().toISOString();
  const inst = ctx.db.installations.insert({
    appId: app.id,
    accountId: account.id,
    repositorySelection: repositoryIds ? "selected" : "all",
    repositoryIds: repositoryIds ?? [],
    created_at: now,
    updated_at: now,
  });
  const repos = ctx.db.repos
    .filter((r) => r.ownerId === account.id && (!repositoryIds || repositoryIds.includes(r.id)))
    .map((r) => ({
      id: r.id,
      node_id: (ctx.json.repo(r) as { node_id: string }).node_id,
      name: r.name,
      full_name: `${account.login}/${r.name}`,
      private: r.private,
    }));
  ctx.webhooks.emit({
    event: "installation",
    action: "created",
    account,
    installation: inst,
    sender,
    payload: {
      installation: installationJson(ctx.urls, inst, app, account),
      repositories: repos,
      requester: null,
    },
  });
  return inst;
}

/**
 * Issues a `ghs_` token valid for one hour. `permissions` and
 * `repositoryIds` may only narrow what the installation has (422 otherwise).
 */
export function issueInstallationToken(
  ctx: ForgeContext,
  inst: InstallationRow,
  app: AppRow,
  narrow: { permissions?: Record<string, string>; repositoryIds?: number[] },
): { token: string; row: TokenRow } {
  let permissions: Permissions = { ...app.permissions };
  if (narrow.permissions) {
    permissions = {};
    for (const [name, level] of Object.entries(narrow.permissions)) {
      // Own keys only: `constructor` would find Object.prototype's and pass.
      const granted = Object.hasOwn(app.permissions, name) ? app.permissions[name] : undefined;
      if (
        !isPermissionName(name) ||
        !LEVELS.includes(level) ||
        granted === undefined ||
        RANK[level as Level] > RANK[granted]
      ) {
        throw new ForgeHttpError(
          422,
          "The permissions requested are not granted to this installation.",
        );
      }
      permissions[name] = level as Level;
    }
  }
  const token = newToken("ghs");
  const now = ctx.now();
  const row = ctx.db.tokens.insert({
    hash: hashToken(token),
    kind: "installation",
    installationId: inst.id,
    permissions,
    ...(narrow.repositoryIds ? { repositoryIds: narrow.repositoryIds } : {}),
    expires_at: new Date(now.getTime() + TOKEN_TTL_MS).toISOString(),
    created_at: now.toISOString(),
  });
  return { token, row };
}
