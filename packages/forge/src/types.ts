/** The forge's public options and handle. */
import type { ArtifactLie, Fault } from "./http/faults.js";
import type { RunRequest, RunResult, WorkflowEvent } from "./runner/contract.js";

/** The Actions runner, injected (packages/forge/src/runner implements it). */
export interface ForgeRunner {
  workflowTriggers(workflowText: string, event: WorkflowEvent): boolean;
  runWorkflow(req: RunRequest): Promise<RunResult>;
}

export interface ForgeLimits {
  /** JSON request bodies (GitHub: ~1 MB for most endpoints). */
  jsonBytes: number;
  /** Release asset and artifact uploads. */
  uploadBytes: number;
}

export interface ResponseRecord {
  method: string;
  /** Path without the /api/v3 or /api/uploads prefix, with query. */
  path: string;
  /** The OpenAPI path template the route was registered with. */
  operationPath?: string;
  status: number;
  body: unknown;
}

export interface ForgeOptions {
  dataDir: string;
  /** 0 (default) picks an ephemeral port. */
  port?: number;
  host?: string;
  runner?: ForgeRunner;
  /**
   * The runner machine's own environment for every workflow step (a
   * self-hosted runner's `.env`): e.g. a shared kernel cache and tool paths.
   * Operator configuration, never repository secrets.
   */
  runnerEnv?: Readonly<Record<string, string>>;
  /**
   * Run every job in a sandbox (packages/forge/src/runner/sandbox.ts): the data
   * directory and `hide` invisible, `caches` writable only by trusted runs
   * (actions/run-trust.ts). Needs root, bwrap and unshare. Undefined: jobs
   * run on the host as the forge's own user.
   */
  sandbox?: { hide?: readonly string[]; caches?: readonly string[] };
  limits?: Partial<ForgeLimits>;
  /**
   * Report release assets' `digest` (default true, as github.com does since
   * 2025); false answers `digest: null`, as GitHub did before and GHES may.
   */
  assetDigests?: boolean;
  /** Conformance hook: a returned string turns the answer into a 502 naming it. */
  onResponse?: (r: ResponseRecord) => string | undefined;
  /** Conformance hook for webhook payloads: a returned string is recorded on the delivery. */
  onWebhook?: (event: string, action: string | undefined, payload: unknown) => string | undefined;
  log?: (line: string) => void;
}

export interface CreatedUser {
  id: number;
  login: string;
  token: string;
}

export interface AppManifest {
  name: string;
  url?: string;
  description?: string;
  hook_attributes?: { url?: string; active?: boolean };
  default_permissions?: Record<string, string>;
  default_events?: string[];
  public?: boolean;
}

export interface RegisteredApp {
  appId: number;
  slug: string;
  clientId: string;
  privateKeyPem: string;
  webhookSecret: string;
}

export interface DeliverySummary {
  id: number;
  guid: string;
  event: string;
  action: string | null;
  status_code: number;
  redelivery: boolean;
  violation?: string;
  payload: Record<string, unknown>;
}

export interface Forge {
  /** Web root, e.g. http://127.0.0.1:PORT */
  readonly url: string;
  /** `<url>/api/v3` */
  readonly apiUrl: string;
  /** `<url>/api/uploads` */
  readonly uploadsUrl: string;
  readonly port: number;
  /** A site administrator's token (GHES site admin). */
  readonly adminToken: string;
  /**
   * Stops after pending webhook deliveries and workflow runs finish; with
   * `cancelRuns`, running workflow runs are cancelled first (their jobs'
   * process groups get SIGTERM, the runs conclude `cancelled`).
   */
  close(opts?: { cancelRuns?: boolean }): Promise<void>;
  createUser(login: string, opts?: { siteAdmin?: boolean; email?: string }): Promise<CreatedUser>;
  createOrg(login: string, adminLogin: string): Promise<{ id: number; login: string }>;
  createTeam(org: string, name: string, members?: string[]): Promise<{ id: number; slug: string }>;
  addCollaborator(owner: string, repo: string, login: string, permission?: string): Promise<void>;
  createRepo(
    owner: string,
    name: string,
    opts?: { private?: boolean; defaultBranch?: string; description?: string },
  ): Promise<{ id: number; fullName: string; cloneUrl: string }>;
  registerApp(manifest: AppManifest, ownerLogin?: string): Promise<RegisteredApp>;
  installApp(appId: number, account: string, repos?: string[]): Promise<number>;
  setFault(fault: Fault): void;
  /** From now on, list and serve the artifacts named `lie.name` wrongly (a storage that lies). */
  lieAboutArtifact(lie: ArtifactLie): void;
  /** The lie set for `name`, with how many extra bytes were served (`extraServed`). */
  artifactLie(name: string): ArtifactLie | undefined;
  clearFaults(): void;
  deliveries(): Promise<DeliverySummary[]>;
  /** Resolves when every queued webhook delivery and workflow run has finished. */
  waitIdle(): Promise<void>;
}
