/**
 * Verifies a GitHub App's JWT the way GitHub does: RS256 signed by the app's
 * registered key, `iss` naming the app (id or client id), and an `iat`/`exp`
 * window no longer than 10 minutes that covers now (60 s clock drift).
 */
import { compactVerify, decodeJwt, importSPKI } from "jose";
import { ForgeHttpError } from "../http/errors.js";
import type { AppRow } from "../model/rows.js";

const DRIFT_S = 60;
const MAX_WINDOW_S = 600;

const refuse = (message: string): ForgeHttpError => new ForgeHttpError(401, message);
const UNDECODABLE = "A JSON web token could not be decoded";

export function looksLikeJwt(token: string): boolean {
  return /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(token);
}

/** Returns the app the JWT authenticates, or throws GitHub's 401. */
export async function verifyAppJwt(
  jwt: string,
  findApp: (iss: string) => AppRow | undefined,
  nowMs: number,
): Promise<AppRow> {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(jwt);
  } catch {
    throw refuse(UNDECODABLE);
  }
  const app = claims.iss === undefined ? undefined : findApp(String(claims.iss));
  if (!app) throw refuse(UNDECODABLE);
  try {
    const key = await importSPKI(app.publicKeyPem, "RS256");
    await compactVerify(jwt, key, { algorithms: ["RS256"] });
  } catch {
    throw refuse(UNDECODABLE);
  }
  const now = Math.floor(nowMs / 1000);
  const { iat, exp } = claims;
  if (typeof iat !== "number" || iat > now + DRIFT_S) {
    throw refuse(
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.",
    );
  }
  if (typeof exp !== "number" || exp <= now - DRIFT_S) {
    throw refuse(
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.",
    );
  }
  if (exp - iat > MAX_WINDOW_S || exp > now + MAX_WINDOW_S + DRIFT_S) {
    throw refuse("'Expiration time' claim ('exp') is too far in the future.");
  }
  return app;
}
