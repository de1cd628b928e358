/**
 * The permission names a GitHub App and its tokens can hold: the properties
 * of `app-permissions` in GitHub's description of GHES 3.19 (a unit test
 * keeps the two equal). A name is looked up as an own key of this set, never
 * on a plain object: `constructor` or `__proto__` would otherwise find
 * something on Object.prototype and pass a check.
 */
const NAMES: ReadonlySet<string> = new Set([
  "actions",
  "administration",
  "artifact_metadata",
  "attestations",
  "checks",
  "code_quality",
  "codespaces",
  "contents",
  "dependabot_secrets",
  "deployments",
  "discussions",
  "environments",
  "issues",
  "merge_queues",
  "metadata",
  "packages",
  "pages",
  "pull_requests",
  "repository_custom_properties",
  "repository_hooks",
  "repository_projects",
  "secret_scanning_alerts",
  "secrets",
  "security_events",
  "single_file",
  "statuses",
  "vulnerability_alerts",
  "workflows",
  "members",
  "organization_administration",
  "organization_custom_roles",
  "organization_custom_org_roles",
  "organization_custom_properties",
  "organization_copilot_seat_management",
  "organization_copilot_agent_settings",
  "organization_announcement_banners",
  "organization_events",
  "organization_hooks",
  "organization_personal_access_tokens",
  "organization_personal_access_token_requests",
  "organization_plan",
  "organization_projects",
  "organization_packages",
  "organization_secrets",
  "organization_self_hosted_runners",
  "organization_user_blocking",
  "email_addresses",
  "followers",
  "git_ssh_keys",
  "gpg_keys",
  "interaction_limits",
  "profile",
  "starring",
  "enterprise_administration",
  "enterprise_custom_properties",
  "enterprise_organization_installations",
  "enterprise_organization_installation_repositories",
]);

export function isPermissionName(name: string): boolean {
  return NAMES.has(name);
}

/** Every known name, for the test that compares them with GitHub's description. */
export function permissionNames(): string[] {
  return [...NAMES];
}
