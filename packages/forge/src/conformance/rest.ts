import { createDraft07Ajv } from "./ajv-setup.js";
import { REST_COMPONENTS_ID, RestDescription, type RestOperation } from "./rest-description.js";
import { readDescription } from "./spec-files.js";
import { ValidatorCache } from "./validator-cache.js";

/** Which of GitHub's REST descriptions to hold responses to. */
export type RestSpec = "ghes-3.19" | "api.github.com";

export interface RestConformanceOptions {
  /** Default `ghes-3.19`: the `/api/v3` + `/api/uploads` layout the forge copies. */
  spec?: RestSpec;
  /** Another file of `@octokit/openapi`'s `generated/` (e.g. `ghes-3.18.json`); wins over `spec`. */
  file?: string;
  /**
   * What to do with an error status (4xx, 5xx) the operation does not
   * document. GitHub's descriptions list few of them (`checks/create`
   * documents only 201, `repos/get-release` no 404) although GitHub answers
   * them on every operation. `violation` (default) reports it; `generic`
   * holds the body to GitHub's generic error shapes instead
   * (`validation-error` for 422, `basic-error` with a `message` otherwise)
   * and marks the result `documented: false`.
   */
  undocumentedErrors?: "violation" | "generic";
}

export interface RestCheckResult {
  /** The operation the request matched; undefined when GitHub documents no such operation. */
  operationId?: string;
  /** Its path template, e.g. `/repos/{owner}/{repo}/releases/{release_id}`. */
  template?: string;
  /** False when an undocumented error status was checked against GitHub's generic error shape. */
  documented?: boolean;
  /** Why the response is not what GitHub describes; undefined when it conforms. */
  violation?: string;
}

export interface RestConformance {
  /** The description file checked against, e.g. `ghes-3.19.json`. */
  readonly file: string;
  /**
   * Checks one response. `path` is the request path after `/api/v3` or
   * `/api/uploads` (a query string is ignored); given with that prefix, the
   * host is checked too (uploads only on `/api/uploads`). `body` is the
   * parsed JSON the forge sends (undefined for no body); `contentType`
   * defaults to `application/json`.
   *
   * Only GitHub's REST API is described: the forge's own `/_forge/` routes,
   * git smart HTTP, storage and public download URLs are not, and the caller
   * must not pass them.
   */
  check(
    method: string,
    path: string,
    status: number,
    body: unknown,
    contentType?: string,
  ): RestCheckResult;
}

/** Loads GitHub's REST description (once) and checks responses against it, compiling per operation on demand. */
export function createRestConformance(options: RestConformanceOptions = {}): RestConformance {
  const file = options.file ?? `${options.spec ?? "ghes-3.19"}.json`;
  const description = new RestDescription(readDescription("@octokit/openapi", file));
  const ajv = createDraft07Ajv();
  ajv.addSchema(description.componentsSchema);
  const cache = new ValidatorCache(ajv);
  const generic = options.undocumentedErrors === "generic";

  function checkBody(
    op: RestOperation,
    status: number,
    body: unknown,
    contentType: string,
  ): string | undefined {
    const where = `${op.operationId} ${status}`;
    const response = description.response(op, status);
    switch (response.kind) {
      case "undocumented":
        if (generic && status >= 400) return checkGenericError(where, status, body);
        return `${where}: GitHub documents no ${status} for this operation (it documents ${response.documented.join(", ")})`;
      case "no-body":
        if (isEmpty(body)) return undefined;
        // 165 error responses document no body (the 422 of a duplicate asset
        // among them), yet GitHub sends its error body with each.
        if (status >= 400) return checkGenericError(where, status, body);
        return `${where}: GitHub documents no body for this response`;
      case "body": {
        const media = Object.hasOwn(response.mediaTypes, contentType)
          ? response.mediaTypes[contentType]
          : undefined;
        if (media === undefined) {
          return `${where}: content type ${contentType} is not documented (${Object.keys(response.mediaTypes).join(", ")})`;
        }
        // Diffs, patches and raw file contents are text; only JSON has a schema to hold it to.
        if (media.schema === undefined || !/^application\/(.+\+)?json$/.test(contentType))
          return undefined;
        const key = `${op.operationId} ${status} ${contentType}`;
        const errors = cache.validate(key, () => media.schema, body);
        return errors === undefined ? undefined : `${where}: ${errors}`;
      }
    }
  }

  function checkGenericError(where: string, status: number, body: unknown): string | undefined {
    const key = `generic ${status === 422 ? 422 : "error"}`;
    const errors = cache.validate(key, () => genericErrorSchema(status), body);
    return errors === undefined
      ? undefined
      : `${where} (checked as GitHub's generic error): ${errors}`;
  }

  return {
    file,
    check(method, path, status, body, contentType = "application/json") {
      const { host, rest } = splitHost(path);
      const match = description.index.match(method, rest);
      if (match === undefined) {
        // GitHub's router answers any path it does not route (a hostile
        // `docs//x`, an unknown area) with its generic 404 body.
        if (generic && (status === 404 || status === 405)) {
          const violation = checkGenericError(`${method.toUpperCase()} ${rest}`, status, body);
          return violation === undefined ? { documented: false } : { violation };
        }
        const known = description.index.hasPath(rest)
          ? ` (the path exists, not with ${method.toUpperCase()})`
          : "";
        return {
          violation: `${method.toUpperCase()} ${rest}: no such operation in GitHub's description ${file}${known}`,
        };
      }
      const op = match.entry;
      const result = { operationId: op.operationId, template: op.template };
      if (host !== undefined && host !== op.host) {
        return {
          ...result,
          violation: `${op.operationId}: served on /api/${host === "api" ? "v3" : "uploads"}, GitHub serves it on /api/${op.host === "api" ? "v3" : "uploads"}`,
        };
      }
      const documented = description.response(op, status).kind !== "undocumented";
      const violation = checkBody(op, status, body, mediaType(contentType));
      const checked = documented ? result : { ...result, documented };
      return violation === undefined ? checked : { ...checked, violation };
    },
  };
}

// Every GitHub error body carries a `message`; 422 adds the `errors` list.
function genericErrorSchema(status: number): object {
  const name = status === 422 ? "validation-error" : "basic-error";
  return {
    allOf: [{ $ref: `${REST_COMPONENTS_ID}#/components/schemas/${name}` }],
    required: ["message"],
  };
}

function splitHost(path: string): { host?: "api" | "uploads"; rest: string } {
  if (path.startsWith("/api/v3/")) return { host: "api", rest: path.slice("/api/v3".length) };
  if (path.startsWith("/api/uploads/"))
    return { host: "uploads", rest: path.slice("/api/uploads".length) };
  return { rest: path };
}

function mediaType(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

function isEmpty(body: unknown): boolean {
  return (
    body === undefined ||
    body === null ||
    body === "" ||
    (body instanceof Uint8Array && body.length === 0)
  );
}
