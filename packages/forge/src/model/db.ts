/** Typed handles on the core tables, and the lookups every area needs. */
import { ForgeError } from "../errors.js";
import type { Store, Table } from "../persistence/state-tables.js";
import type {
  AppRow,
  CollaboratorRow,
  InstallationRow,
  OrgMemberRow,
  ProtectionRow,
  RepoRow,
  TeamMemberRow,
  TeamRow,
  TokenRow,
  UserRow,
} from "./rows.js";

export interface Db {
  users: Table<UserRow>;
  repos: Table<RepoRow>;
  tokens: Table<TokenRow>;
  apps: Table<AppRow>;
  installations: Table<InstallationRow>;
  collaborators: Table<CollaboratorRow>;
  orgMembers: Table<OrgMemberRow>;
  teams: Table<TeamRow>;
  teamMembers: Table<TeamMemberRow>;
  protections: Table<ProtectionRow>;
}

export function openDb(store: Store): Db {
  return {
    users: store.table("users"),
    repos: store.table("repos"),
    tokens: store.table("tokens"),
    apps: store.table("apps"),
    installations: store.table("installations"),
    collaborators: store.table("collaborators"),
    orgMembers: store.table("org_members"),
    teams: store.table("teams"),
    teamMembers: store.table("team_members"),
    protections: store.table("branch_protections"),
  };
}

/** Logins compare case-insensitively on GitHub. */
export function findUser(db: Db, login: string): UserRow | undefined {
  const l = login.toLowerCase();
  return db.users.find((u) => u.login.toLowerCase() === l);
}

export function findRepo(db: Db, owner: string, name: string): RepoRow | undefined {
  const o = findUser(db, owner);
  if (!o) return undefined;
  const n = name.toLowerCase();
  return db.repos.find((r) => r.ownerId === o.id && r.name.toLowerCase() === n);
}

export function ownerOf(db: Db, repo: RepoRow): UserRow {
  const owner = db.users.get(repo.ownerId);
  if (!owner) {
    throw new ForgeError("FORGE_STATE_INVALID", `repository ${repo.id} has no owner row`);
  }
  return owner;
}
