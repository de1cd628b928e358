/**
 * Everything a REST area, the git host and the admin helpers share: state,
 * URLs, renderers, webhook emission, background work and the hooks that
 * connect areas owned by different files (see server.ts for the tour).
 */
import type { Principal } from "./auth/principal.js";
import type { Background } from "./background.js";
import type { Faults } from "./http/faults.js";
import type { ForgeRequest } from "./http/types.js";
import type { Db } from "./model/db.js";
import type { Level, RepoRow, UserRow } from "./model/rows.js";
import type { Urls } from "./model/urls.js";
import type { WorkflowEvent } from "./runner/contract.js";
import type { Blobs } from "./persistence/blob-files.js";
import type { Store } from "./persistence/state-tables.js";
import type { ForgeOptions } from "./types.js";
import type { GitRepos } from "./git/repos.js";
import type { ForgeLimits, ForgeRunner } from "./types.js";
import type { Webhooks } from "./webhooks/webhooks.js";

/** A required check as branch protection names it. */
export interface RequiredCheck {
  context: string;
  app_id?: number | null;
}

/**
 * Seams between areas. The checks/statuses area replaces
 * `requiredChecksState`; the Actions area replaces `onRepoEvent`.
 */
export interface ForgeHooks {
  /** Whether every required check concluded success on `sha` (merge gate, protected pushes). */
  requiredChecksState(
    repo: RepoRow,
    sha: string,
    checks: readonly RequiredCheck[],
  ): "success" | "pending" | "failure";
  /** Called after a push and after pull_request opened/synchronize/reopened. */
  onRepoEvent(repo: RepoRow, event: WorkflowEvent): void;
}

/** Called after a branch moved by a push (pulls raise `synchronize` from here). */
export type BranchPushListener = (
  repo: RepoRow,
  branch: string,
  sha: string,
  sender: UserRow,
) => Promise<void>;

export interface ForgeContext {
  readonly dataDir: string;
  readonly store: Store;
  readonly db: Db;
  readonly blobs: Blobs;
  readonly git: GitRepos;
  /** Set once the server listens. */
  urls: Urls;
  readonly limits: ForgeLimits;
  readonly background: Background;
  readonly webhooks: Webhooks;
  readonly faults: Faults;
  /** ForgeOptions.assetDigests (default true). */
  readonly assetDigests: boolean;
  readonly hooks: ForgeHooks;
  readonly branchPushListeners: BranchPushListener[];
  readonly runner: ForgeRunner | undefined;
  /** Every workflow step's machine environment (ForgeOptions.runnerEnv). */
  readonly runnerEnv: Readonly<Record<string, string>>;
  /** ForgeOptions.sandbox. */
  readonly sandbox: ForgeOptions["sandbox"];
  readonly now: () => Date;
  readonly log: (line: string) => void;
  readonly json: {
    user(u: UserRow): Record<string, unknown>;
    org(u: UserRow): Record<string, unknown>;
    repo(r: RepoRow): Record<string, unknown>;
  };
  /** The repository named by `{owner}/{repo}` params, if `req`'s caller holds `level` on `permission`. */
  repoFor(req: ForgeRequest, permission: string, level: Level): RepoRow;
  /** The account acting for `p` (a user or an app's bot); 401 when anonymous. */
  actor(p: Principal): UserRow;
}
