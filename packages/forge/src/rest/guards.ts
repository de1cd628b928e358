/** Caller requirements for endpoints that are not about one repository. */
import type { Principal } from "../auth/principal.js";
import {
  ForgeHttpError,
  notAccessibleByIntegration,
  requiresAuthentication,
} from "../http/errors.js";
import type { AppRow, InstallationRow, UserRow } from "../model/rows.js";

const JWT_REQUIRED = "A JSON web token could not be decoded";

export function requireUser(p: Principal): UserRow {
  if (p.kind === "user") return p.user;
  if (p.kind === "anonymous") throw requiresAuthentication();
  throw notAccessibleByIntegration();
}

export function requireSiteAdmin(p: Principal): UserRow {
  const user = requireUser(p);
  if (!user.site_admin) throw new ForgeHttpError(403, "Must be a site administrator.");
  return user;
}

/** Endpoints under /app answer only to the app's JWT. */
export function requireApp(p: Principal): AppRow {
  if (p.kind === "app") return p.app;
  if (p.kind === "anonymous") throw requiresAuthentication();
  throw new ForgeHttpError(401, JWT_REQUIRED);
}

export function requireInstallation(p: Principal): {
  installation: InstallationRow;
  app: AppRow;
  token: Extract<Principal, { kind: "installation" }>["token"];
} {
  if (p.kind === "installation" && p.installation && p.app) {
    return { installation: p.installation, app: p.app, token: p.token };
  }
  if (p.kind === "anonymous") throw requiresAuthentication();
  throw new ForgeHttpError(403, "This endpoint requires an installation access token.");
}
