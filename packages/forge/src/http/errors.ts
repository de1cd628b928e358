/**
 * GitHub's error answers: every refusal carries `message` and
 * `documentation_url`; validation failures add `errors: [{resource, code,
 * field}]`. Handlers throw these and the server turns them into responses.
 */
import { ForgeError } from "../errors.js";

const DOCS = "https://docs.github.com/enterprise-server@3.19/rest";

export interface FieldError {
  resource: string;
  code: string;
  field?: string;
  message?: string;
}

export class ForgeHttpError extends ForgeError {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super("FORGE_HTTP", message, { details: { status } });
    this.status = status;
    this.body = { message, documentation_url: DOCS, ...extra };
    this.headers = headers;
  }
}

export const notFound = (): ForgeHttpError => new ForgeHttpError(404, "Not Found");

export const badCredentials = (): ForgeHttpError => new ForgeHttpError(401, "Bad credentials");

export const requiresAuthentication = (): ForgeHttpError =>
  new ForgeHttpError(401, "Requires authentication");

/** What an installation token gets when its permissions do not cover the call. */
export const notAccessibleByIntegration = (): ForgeHttpError =>
  new ForgeHttpError(403, "Resource not accessible by integration");

export const forbidden = (message: string): ForgeHttpError => new ForgeHttpError(403, message);

/** 422 with GitHub's `errors` array (e.g. `already_exists` on a duplicate asset name). */
export function validationFailed(
  errors: FieldError[],
  message = "Validation Failed",
): ForgeHttpError {
  return new ForgeHttpError(422, message, { errors });
}

/** 422 for a missing required body field, worded like GitHub's schema check. */
export function missingField(field: string): ForgeHttpError {
  return new ForgeHttpError(422, `Invalid request.\n\n"${field}" wasn't supplied.`);
}

/** 422 for a field of the wrong type or value. */
export function invalidField(field: string, detail: string): ForgeHttpError {
  return new ForgeHttpError(422, `Invalid request.\n\nFor '${field}', ${detail}.`);
}
