/**
 * The rows the forge keeps in its store, one interface per table. Names and
 * enum values follow GitHub's so rendering stays a field copy.
 */
import type { Row } from "../persistence/state-tables.js";

export type Level = "read" | "write" | "admin";
export type Permissions = Record<string, Level>;

export interface UserRow extends Row {
  login: string;
  type: "User" | "Organization" | "Bot";
  site_admin: boolean;
  name: string | null;
  email: string | null;
  created_at: string;
}

export interface RepoRow extends Row {
  ownerId: number;
  name: string;
  private: boolean;
  description: string | null;
  default_branch: string;
  created_at: string;
  updated_at: string;
  pushed_at: string;
  /** Next issue/pull request number in this repository. */
  nextNumber: number;
}

export interface TokenRow extends Row {
  /** sha256 of the token; the token itself is shown once. */
  hash: string;
  kind: "user" | "installation" | "run";
  userId?: number;
  installationId?: number;
  /** For installation and run tokens: what they may do. */
  permissions: Permissions;
  /** Restricts the token to these repositories (undefined: all the installation covers). */
  repositoryIds?: number[];
  expires_at?: string;
  created_at: string;
  note?: string;
}

export interface AppRow extends Row {
  slug: string;
  name: string;
  ownerId: number;
  description: string | null;
  external_url: string;
  hookUrl: string | null;
  hookActive: boolean;
  webhookSecret: string;
  publicKeyPem: string;
  clientId: string;
  permissions: Permissions;
  events: string[];
  created_at: string;
  updated_at: string;
}

export interface InstallationRow extends Row {
  appId: number;
  accountId: number;
  repositorySelection: "all" | "selected";
  repositoryIds: number[];
  created_at: string;
  updated_at: string;
}

export type RepoRole = "pull" | "triage" | "push" | "maintain" | "admin";

export interface CollaboratorRow extends Row {
  repoId: number;
  userId: number;
  permission: RepoRole;
}

export interface OrgMemberRow extends Row {
  orgId: number;
  userId: number;
  role: "admin" | "member";
}

export interface TeamRow extends Row {
  orgId: number;
  name: string;
  slug: string;
  description: string | null;
  privacy: "secret" | "closed";
  permission: string;
  created_at: string;
  updated_at: string;
}

export interface TeamMemberRow extends Row {
  teamId: number;
  userId: number;
  role: "member" | "maintainer";
}

/** Branch protection as PUT /branches/{branch}/protection gave it (GitHub's field names). */
export interface ProtectionRow extends Row {
  repoId: number;
  branch: string;
  required_status_checks: {
    strict: boolean;
    checks: { context: string; app_id: number | null }[];
  } | null;
  enforce_admins: boolean;
  required_pull_request_reviews: {
    required_approving_review_count: number;
    dismiss_stale_reviews: boolean;
    require_code_owner_reviews: boolean;
  } | null;
}
