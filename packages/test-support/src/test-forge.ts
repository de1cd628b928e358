/** Shared setup for the forge's integration tests: a forge, a webhook receiver, an installed app. */
import { createPrivateKey } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Octokit } from "@octokit/rest";
import { SignJWT } from "jose";
import { startForge } from "@livepatch-gitops/forge";
import type { Forge, ForgeOptions, ResponseRecord } from "@livepatch-gitops/forge";
import { conformance } from "./forge-areas-conformance.js";

export interface TestForge {
  forge: Forge;
  dataDir: string;
  /** "METHOD path" (no query) of every REST and upload request answered, in order; tests may clear it. */
  requests: string[];
  stop(): Promise<void>;
}

/**
 * A forge on a temporary data directory. Unless the caller brings its own
 * hooks, every REST answer and webhook payload is held to GitHub's
 * descriptions (a violating answer becomes a 502 naming it), and stop()
 * fails when any violation was seen.
 */
export async function startTestForge(opts: Partial<ForgeOptions> = {}): Promise<TestForge> {
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), "forge-test-")));
  const conf = opts.onResponse || opts.onWebhook ? undefined : conformance();
  const requests: string[] = [];
  const answer = conf ? (r: ResponseRecord) => conf.onResponse(r) : opts.onResponse;
  const forge = await startForge({
    log: () => undefined,
    ...(conf
      ? { onWebhook: (e: string, a: string | undefined, p: unknown) => conf.onWebhook(e, a, p) }
      : {}),
    ...opts,
    onResponse: (r: ResponseRecord) => {
      requests.push(`${r.method} ${r.path.replace(/\?.*$/, "")}`);
      return answer?.(r);
    },
    dataDir,
  });
  return {
    forge,
    dataDir,
    requests,
    async stop() {
      await forge.close();
      await rm(dataDir, { recursive: true, force: true });
      if (conf && conf.violations.length > 0) {
        throw new Error(`the forge broke GitHub's descriptions:\n${conf.violations.join("\n")}`);
      }
    },
  };
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A tiny webhook receiver recording every POST. */
export async function startReceiver(): Promise<{
  url: string;
  received: Received[];
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export async function appJwt(
  appId: number | string,
  privateKeyPem: string,
  claims: { iat?: number; exp?: number } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "RS256" })
    .setIssuer(String(appId))
    .setIssuedAt(claims.iat ?? now - 30)
    .setExpirationTime(claims.exp ?? now + 540)
    .sign(createPrivateKey(privateKeyPem));
}

const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export function octokit(
  forge: Forge,
  token?: string,
  extra: Record<string, unknown> = {},
): Octokit {
  return new Octokit({
    baseUrl: forge.apiUrl,
    log: quiet,
    ...(token ? { auth: token } : {}),
    ...extra,
  });
}

export interface InstalledApp {
  appId: number;
  privateKeyPem: string;
  webhookSecret: string;
  installationId: number;
  owner: { login: string; token: string };
  repo: string;
  jwt(): Promise<string>;
  /** An installation token (optionally narrowed) through the real JWT exchange. */
  installationToken(body?: Record<string, unknown>): Promise<string>;
}

/** alice owns `demo`; app "Livepatch Test" is installed on her account with a webhook URL. */
export async function installTestApp(
  forge: Forge,
  hookUrl: string,
  opts: { permissions?: Record<string, string>; events?: string[]; owner?: string } = {},
): Promise<InstalledApp> {
  const owner = await forge.createUser(opts.owner ?? "alice");
  await forge.createRepo(owner.login, "demo");
  const app = await forge.registerApp({
    name: "Livepatch Test",
    url: "http://127.0.0.1/app",
    hook_attributes: { url: hookUrl },
    default_permissions: opts.permissions ?? {
      contents: "write",
      pull_requests: "write",
      issues: "write",
      checks: "write",
      statuses: "write",
      actions: "read",
      administration: "write",
    },
    default_events: opts.events ?? ["push", "pull_request", "pull_request_review", "issue_comment"],
  });
  const installationId = await forge.installApp(app.appId, owner.login);
  const jwt = () => appJwt(app.appId, app.privateKeyPem);
  return {
    appId: app.appId,
    privateKeyPem: app.privateKeyPem,
    webhookSecret: app.webhookSecret,
    installationId,
    owner,
    repo: "demo",
    jwt,
    async installationToken(body = {}) {
      const res = await octokit(forge, await jwt()).request(
        "POST /app/installations/{installation_id}/access_tokens",
        { installation_id: installationId, ...body },
      );
      return res.data.token;
    },
  };
}
