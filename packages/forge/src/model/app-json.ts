/** Renders apps as GitHub's `integration` and installations as `installation`. */
import { nodeId } from "./node-id.js";
import type { AppRow, InstallationRow, UserRow } from "./rows.js";
import type { Urls } from "./urls.js";
import { simpleUser } from "./user-json.js";

export function integrationJson(urls: Urls, app: AppRow, owner: UserRow): Record<string, unknown> {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("Integration", app.id),
    client_id: app.clientId,
    owner: simpleUser(urls, owner),
    name: app.name,
    description: app.description,
    external_url: app.external_url,
    html_url: `${urls.web}/github-apps/${app.slug}`,
    created_at: app.created_at,
    updated_at: app.updated_at,
    permissions: app.permissions,
    events: app.events,
  };
}

/**
 * The installation's account. GHES's description of GET /app/installations
 * types it as `allOf: [simple-user, enterprise]`, so the enterprise fields
 * are present too (GitHub's own answers carry name/created_at as well).
 */
function accountJson(urls: Urls, account: UserRow): Record<string, unknown> {
  return {
    ...simpleUser(urls, account),
    name: account.name ?? account.login,
    slug: account.login,
    description: null,
    website_url: null,
    created_at: account.created_at,
    updated_at: account.created_at,
  };
}

export function installationJson(
  urls: Urls,
  inst: InstallationRow,
  app: AppRow,
  account: UserRow,
): Record<string, unknown> {
  return {
    id: inst.id,
    client_id: app.clientId,
    account: accountJson(urls, account),
    repository_selection: inst.repositorySelection,
    access_tokens_url: `${urls.api}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${urls.api}/installation/repositories`,
    html_url: `${urls.web}/${account.type === "Organization" ? "organizations/" + account.login + "/" : ""}settings/installations/${inst.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: account.id,
    target_type: account.type === "Organization" ? "Organization" : "User",
    permissions: app.permissions,
    events: app.events,
    created_at: inst.created_at,
    updated_at: inst.updated_at,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}
