/**
 * What `livepatch-forge` does once the server is up: register the repository's
 * GitHub App from its manifest (app.yml, Probot's format) unless already
 * registered, and keep its credentials in `<dataDir>/app-credentials.json`
 * plus a PEM for PRIVATE_KEY_PATH, both mode 0600.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { ForgeError } from "./errors.js";
import writeFileAtomic from "write-file-atomic";
import type { AppManifest, Forge } from "./types.js";

export interface AppCredentials {
  appId: number;
  slug: string;
  clientId: string;
  webhookSecret: string;
  privateKeyPath: string;
  adminToken: string;
  url: string;
  apiUrl: string;
}

/** Probot's default webhook URL, for a manifest without hook_attributes. */
const DEFAULT_MANIFEST: AppManifest = {
  name: "livepatch-gitops",
  url: "http://127.0.0.1:3000",
  hook_attributes: { url: "http://127.0.0.1:3000/api/github/webhooks" },
  default_permissions: {
    contents: "write",
    pull_requests: "write",
    issues: "write",
    checks: "write",
    statuses: "read",
    actions: "read",
    members: "read",
  },
  default_events: [
    "pull_request",
    "pull_request_review",
    "push",
    "workflow_run",
    "check_run",
    "check_suite",
  ],
};

export async function readManifest(
  file: string | undefined,
): Promise<{ manifest: AppManifest; source: string }> {
  const path = file ?? "app.yml";
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if (file === undefined && (e as NodeJS.ErrnoException).code === "ENOENT") {
      return { manifest: DEFAULT_MANIFEST, source: "built-in default manifest (no app.yml)" };
    }
    throw new ForgeError("FILE_MISSING", `cannot read app manifest ${path}`, { cause: e });
  }
  const data: unknown = parse(text);
  if (!data || typeof data !== "object" || typeof (data as { name?: unknown }).name !== "string") {
    throw new ForgeError("SCHEMA_INVALID", `${path}: an app manifest needs a string "name"`, {
      details: { file: path },
    });
  }
  return { manifest: data as AppManifest, source: path };
}

/** Registers the app once per data directory; later starts reuse the stored credentials. */
export async function ensureApp(
  forge: Forge,
  dataDir: string,
  manifestFile: string | undefined,
): Promise<{ creds: AppCredentials; created: boolean; source: string }> {
  const credsFile = join(dataDir, "app-credentials.json");
  try {
    const creds = JSON.parse(await readFile(credsFile, "utf8")) as AppCredentials;
    const fresh = { ...creds, adminToken: forge.adminToken, url: forge.url, apiUrl: forge.apiUrl };
    await writeFileAtomic(credsFile, JSON.stringify(fresh, null, 2) + "\n", { mode: 0o600 });
    return { creds: fresh, created: false, source: credsFile };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new ForgeError("FORGE_STATE_INVALID", `cannot read ${credsFile}`, { cause: e });
    }
  }
  const { manifest, source } = await readManifest(manifestFile);
  const app = await forge.registerApp(manifest);
  const privateKeyPath = join(dataDir, "app-private-key.pem");
  await writeFileAtomic(privateKeyPath, app.privateKeyPem, { mode: 0o600 });
  const creds: AppCredentials = {
    appId: app.appId,
    slug: app.slug,
    clientId: app.clientId,
    webhookSecret: app.webhookSecret,
    privateKeyPath,
    adminToken: forge.adminToken,
    url: forge.url,
    apiUrl: forge.apiUrl,
  };
  await writeFileAtomic(credsFile, JSON.stringify(creds, null, 2) + "\n", { mode: 0o600 });
  return { creds, created: true, source };
}

/** The lines `livepatch-forge` prints: where things are and how to point Probot and publish at them. */
export function howToUse(forge: Forge, creds: AppCredentials, credsFile: string): string[] {
  const host = new URL(forge.url).host;
  return [
    `forge listening on ${forge.url}`,
    `  REST API:   ${forge.apiUrl}`,
    `  uploads:    ${forge.uploadsUrl}`,
    `  git:        ${forge.url}/<owner>/<repo>.git (user x-access-token, password: a token)`,
    `  site admin token: in ${credsFile}`,
    `app "${creds.slug}" (id ${creds.appId}); credentials in ${credsFile}`,
    `run the Probot app against it:`,
    `  GHE_HOST=${host} GHE_PROTOCOL=http APP_ID=${creds.appId} PRIVATE_KEY_PATH=${creds.privateKeyPath} WEBHOOK_SECRET=<webhookSecret from ${credsFile}> LPCTL_SIGNING_KEY=<armored private key file> LPCTL_APP_STATE_DIR=<app data dir> npm start   # the livepatch app (docs/app.md)`,
    `publish a release to it:`,
    `  lpctl publish --github --api-url ${forge.apiUrl} ...`,
    `install the app on an account (site admin token):`,
    `  curl -X POST -H "authorization: token $ADMIN_TOKEN" ${forge.apiUrl}/_forge/apps/${creds.appId}/installations -d '{"account":"<login>"}'`,
  ];
}
