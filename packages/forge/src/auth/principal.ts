/**
 * Who a request is: resolved once from `Authorization` (`token …`,
 * `bearer …`, or HTTP Basic for git) before any handler runs. A credential
 * that is present but wrong is a 401 even on public endpoints, as on GitHub.
 */
import { badCredentials } from "../http/errors.js";
import type { Db } from "../model/db.js";
import type { AppRow, InstallationRow, TokenRow, UserRow } from "../model/rows.js";
import { looksLikeJwt, verifyAppJwt } from "./app-jwt.js";
import { hashToken } from "./tokens.js";

export type Principal =
  | { kind: "anonymous"; key: string }
  | { kind: "user"; user: UserRow; token: TokenRow }
  | { kind: "app"; app: AppRow }
  /** An installation token, or a workflow run's token (no installation, kind "run"). */
  | {
      kind: "installation";
      token: TokenRow;
      installation?: InstallationRow;
      app?: AppRow;
      /** The bot account that acts (`<slug>[bot]`, `github-actions[bot]`). */
      actor: UserRow;
    };

/** Extracts the credential from an Authorization header (token, bearer or Basic). */
export function credentialOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme = "", value = ""] = header.trim().split(/\s+/, 2);
  const s = scheme.toLowerCase();
  if (s === "token" || s === "bearer") return value;
  if (s === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    // git sends user:token; `x-access-token:<token>` is what GitHub documents for apps.
    const pass = colon >= 0 ? decoded.slice(colon + 1) : decoded;
    return pass || (colon >= 0 ? decoded.slice(0, colon) : undefined);
  }
  return undefined;
}

export async function resolvePrincipal(
  db: Db,
  header: string | undefined,
  remote: string,
  nowMs: number,
): Promise<Principal> {
  const credential = credentialOf(header);
  if (credential === undefined) return { kind: "anonymous", key: `ip:${remote}` };
  if (looksLikeJwt(credential)) {
    const app = await verifyAppJwt(
      credential,
      (iss) => db.apps.find((a) => String(a.id) === iss || a.clientId === iss),
      nowMs,
    );
    return { kind: "app", app };
  }
  const hash = hashToken(credential);
  const token = db.tokens.find((t) => t.hash === hash);
  if (!token) throw badCredentials();
  if (token.expires_at !== undefined && Date.parse(token.expires_at) <= nowMs) {
    throw badCredentials();
  }
  if (token.kind === "user") {
    const user = token.userId === undefined ? undefined : db.users.get(token.userId);
    if (!user) throw badCredentials();
    return { kind: "user", user, token };
  }
  const installation =
    token.installationId === undefined ? undefined : db.installations.get(token.installationId);
  const app = installation ? db.apps.get(installation.appId) : undefined;
  const actor = actorOf(db, app);
  if (!actor) throw badCredentials();
  return { kind: "installation", token, installation, app, actor };
}

function actorOf(db: Db, app: AppRow | undefined): UserRow | undefined {
  const login = app ? `${app.slug}[bot]` : "github-actions[bot]";
  return db.users.find((u) => u.login === login);
}

/** A stable key for rate-limit accounting. */
export function principalKey(p: Principal): string {
  switch (p.kind) {
    case "anonymous":
      return p.key;
    case "user":
      return `user:${p.user.id}`;
    case "app":
      return `app:${p.app.id}`;
    case "installation":
      return `token:${p.token.id}`;
  }
}
