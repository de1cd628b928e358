/**
 * Webhook emission and delivery. `emit` picks every app whose installation
 * covers the repository (or account) and that subscribed to the event,
 * completes the payload with `repository`, `organization`, `sender` and
 * `installation`, and queues it: deliveries go out asynchronously, in order
 * per app, each recorded with its request and response.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import type { Background } from "../background.js";
import type { Db } from "../model/db.js";
import { ownerOf } from "../model/db.js";
import { nodeId } from "../model/node-id.js";
import type { AppRow, InstallationRow, RepoRow, UserRow } from "../model/rows.js";
import type { Store, Table } from "../persistence/state-tables.js";
import type { DeliveryDetail, DeliveryRow } from "./delivery-row.js";
import { postDelivery, signedHeaders } from "./post-delivery.js";

/** Events every installed app receives whatever it subscribed to. */
const ALWAYS = new Set(["installation", "installation_repositories", "github_app_authorization"]);

export interface EmitInput {
  event: string;
  action?: string;
  /** The repository the event is about (selects installations covering it). */
  repo?: RepoRow;
  /** For account-level events without a repository. */
  account?: UserRow;
  sender: UserRow;
  /** Event-specific fields (`pull_request`, `ref`, …). */
  payload: Record<string, unknown>;
  /** Deliver to this installation only (e.g. `installation` events). */
  installation?: InstallationRow;
  /** Deliver even if the app did not subscribe (e.g. check_suite requested for its own app). */
  force?: (app: AppRow) => boolean;
}

interface EventKind {
  event: string;
  action: string | undefined;
}

export interface WebhookDeps {
  db: Db;
  store: Store;
  dataDir: string;
  background: Background;
  json: {
    user(u: UserRow): Record<string, unknown>;
    org(u: UserRow): Record<string, unknown>;
    repo(r: RepoRow): Record<string, unknown>;
  };
  onWebhook?: (event: string, action: string | undefined, payload: unknown) => string | undefined;
  log: (line: string) => void;
}

export class Webhooks {
  private readonly chains = new Map<number, Promise<void>>();
  readonly deliveries: Table<DeliveryRow>;

  constructor(private readonly deps: WebhookDeps) {
    this.deliveries = deps.store.table<DeliveryRow>("deliveries");
  }

  emit(input: EmitInput): void {
    const { db } = this.deps;
    const account = input.repo ? ownerOf(db, input.repo) : input.account;
    const installations = input.installation
      ? [input.installation]
      : db.installations.filter((i) => account !== undefined && covers(i, account, input.repo));
    for (const inst of installations) {
      const app = db.apps.get(inst.appId);
      if (!app?.hookUrl || !app.hookActive) continue;
      const subscribed =
        ALWAYS.has(input.event) || app.events.includes(input.event) || input.force?.(app) === true;
      if (!subscribed) continue;
      const payload = this.payloadFor(input, account, inst);
      const kind = { event: input.event, action: input.action };
      this.enqueue(app, inst.id, kind, payload, randomUUID(), false);
    }
  }

  private payloadFor(
    input: EmitInput,
    account: UserRow | undefined,
    inst: InstallationRow,
  ): Record<string, unknown> {
    const { json } = this.deps;
    return {
      ...(input.action !== undefined ? { action: input.action } : {}),
      ...input.payload,
      ...(input.repo ? { repository: json.repo(input.repo) } : {}),
      ...(account?.type === "Organization" ? { organization: json.org(account) } : {}),
      sender: json.user(input.sender),
      installation: input.payload.installation ?? {
        id: inst.id,
        node_id: nodeId("Installation", inst.id),
      },
    };
  }

  /** Sends a recorded delivery again with the same GUID, marked as a redelivery. */
  async redeliver(id: number): Promise<boolean> {
    const d = this.deliveries.get(id);
    const app = d ? this.deps.db.apps.get(d.appId) : undefined;
    if (!d || !app) return false;
    const detail = await this.detail(id);
    const kind = { event: d.event, action: d.action ?? undefined };
    this.enqueue(app, d.installationId, kind, detail.request.payload, d.guid, true);
    return true;
  }

  async detail(id: number): Promise<DeliveryDetail> {
    const key = this.deliveries.get(id)?.detailKey ?? "missing";
    const text = await readFile(join(this.deps.dataDir, "deliveries", `${key}.json`), "utf8");
    return JSON.parse(text) as DeliveryDetail;
  }

  private enqueue(
    app: AppRow,
    installationId: number | null,
    input: EventKind,
    payload: Record<string, unknown>,
    guid: string,
    redelivery: boolean,
  ): void {
    const violation = this.deps.onWebhook?.(input.event, input.action, payload);
    const prev = this.chains.get(app.id) ?? Promise.resolve();
    const next = prev.then(() =>
      this.deliver(app, installationId, input, payload, guid, redelivery, violation),
    );
    const settled = next.catch((e: unknown) =>
      this.deps.log(`webhook delivery failed: ${String(e)}`),
    );
    this.chains.set(app.id, settled);
    this.deps.background.track(settled);
  }

  private async deliver(
    app: AppRow,
    installationId: number | null,
    input: EventKind,
    payload: Record<string, unknown>,
    guid: string,
    redelivery: boolean,
    violation: string | undefined,
  ): Promise<void> {
    const url = app.hookUrl ?? "";
    const body = JSON.stringify(payload);
    const headers = await signedHeaders(app.webhookSecret, body, {
      Accept: "*/*",
      "User-Agent": "GitHub-Hookshot/forge",
      "X-GitHub-Delivery": guid,
      "X-GitHub-Event": input.event,
      "X-GitHub-Hook-ID": String(app.id),
      "X-GitHub-Hook-Installation-Target-ID": String(app.id),
      "X-GitHub-Hook-Installation-Target-Type": "integration",
    });
    const deliveredAt = new Date().toISOString();
    const outcome = await postDelivery(url, headers, body);
    const repository = payload.repository as { id?: number } | undefined;
    const detail: DeliveryDetail = {
      request: { headers, payload },
      response: { headers: outcome.responseHeaders, payload: outcome.responseBody },
    };
    // The detail file is durable before the row that names it is recorded.
    const detailKey = randomUUID();
    const dir = join(this.deps.dataDir, "deliveries");
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(join(dir, `${detailKey}.json`), JSON.stringify(detail), { mode: 0o600 });
    this.deliveries.insert({
      detailKey,
      guid,
      appId: app.id,
      installationId,
      repositoryId: repository?.id ?? null,
      event: input.event,
      action: input.action ?? null,
      url,
      redelivery,
      delivered_at: deliveredAt,
      duration: outcome.durationS,
      status: outcome.status,
      status_code: outcome.statusCode,
      ...(violation !== undefined ? { violation } : {}),
    });
    await this.deps.store.commit();
  }
}

function covers(inst: InstallationRow, account: UserRow, repo: RepoRow | undefined): boolean {
  if (inst.accountId !== account.id) return false;
  if (!repo) return true;
  return inst.repositorySelection === "all" || inst.repositoryIds.includes(repo.id);
}
