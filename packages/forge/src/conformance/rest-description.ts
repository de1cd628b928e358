import { convertNullable } from "./nullable.js";
import { PathIndex, type RouteEntry } from "./path-match.js";
import { asObject } from "./json.js";
import { rewriteComponentRefs } from "./refs.js";

/** The `$id` GitHub's REST components are registered under in Ajv. */
export const REST_COMPONENTS_ID = "github-rest";

type Json = Record<string, unknown>;

/** One operation of GitHub's REST description. */
export interface RestOperation extends RouteEntry {
  operationId: string;
  /** The host it is served on: `/api/v3`, or `/api/uploads` for uploads. */
  host: "api" | "uploads";
  responses: Json;
}

/** What a response documents for one status. */
export type DocumentedResponse =
  | { kind: "undocumented"; documented: string[] }
  | { kind: "no-body" }
  | { kind: "body"; mediaTypes: Record<string, { schema?: unknown }> };

/**
 * GitHub's REST description made ready for validation: OpenAPI 3.0
 * `nullable` converted and references made absolute in the components
 * (done once, at load), and an index from concrete paths to operations.
 */
export class RestDescription {
  readonly index: PathIndex<RestOperation>;
  /** The components, to register in Ajv under {@link REST_COMPONENTS_ID}. */
  readonly componentsSchema: Json;
  private readonly responses: Json;
  private readonly parameters: Json;
  private readonly prepared = new WeakSet<object>();

  constructor(document: Json) {
    const components = asObject(document.components);
    const schemas = asObject(components.schemas);
    for (const name of Object.keys(schemas)) schemas[name] = convertNullable(schemas[name]);
    rewriteComponentRefs(schemas, REST_COMPONENTS_ID);
    this.componentsSchema = { $id: REST_COMPONENTS_ID, components: { schemas } };
    this.responses = asObject(components.responses);
    this.parameters = asObject(components.parameters);
    this.index = new PathIndex(this.operations(asObject(document.paths)));
  }

  /** What `operation` documents for `status` (falling back to `default`). */
  response(operation: RestOperation, status: number): DocumentedResponse {
    const own = (key: string) =>
      Object.hasOwn(operation.responses, key) ? operation.responses[key] : undefined;
    const raw = own(String(status)) ?? own("default");
    if (raw === undefined)
      return { kind: "undocumented", documented: Object.keys(operation.responses) };
    const response = this.resolve(raw, "#/components/responses/", this.responses);
    const content = response.content;
    if (content === undefined) return { kind: "no-body" };
    const mediaTypes = asObject(content) as Record<string, { schema?: unknown }>;
    for (const media of Object.values(mediaTypes)) this.prepare(media);
    return { kind: "body", mediaTypes };
  }

  // Response schemas outside the components are converted on first use; the
  // shared ones (components.responses) only once, hence the WeakSet.
  private prepare(media: { schema?: unknown }): void {
    if (this.prepared.has(media)) return;
    this.prepared.add(media);
    if (media.schema === undefined) return;
    media.schema = convertNullable(media.schema);
    rewriteComponentRefs(media.schema, REST_COMPONENTS_ID);
  }

  private *operations(paths: Json): Generator<RestOperation> {
    for (const [template, item] of Object.entries(paths)) {
      for (const [method, value] of Object.entries(asObject(item))) {
        const op = asObject(value);
        if (typeof op.operationId !== "string") continue;
        yield {
          method,
          template,
          operationId: op.operationId,
          host: servedOnUploads(op.servers) ? "uploads" : "api",
          multiSegment: this.multiSegmentParams(op.parameters),
          responses: asObject(op.responses),
        };
      }
    }
  }

  private multiSegmentParams(parameters: unknown): string[] {
    if (!Array.isArray(parameters)) return [];
    return parameters
      .map((p) => this.resolve(p, "#/components/parameters/", this.parameters))
      .filter((p) => p.in === "path" && p["x-multi-segment"] === true)
      .map((p) => String(p.name));
  }

  private resolve(value: unknown, prefix: string, table: Json): Json {
    const object = asObject(value);
    const ref = object.$ref;
    if (typeof ref === "string" && ref.startsWith(prefix))
      return asObject(table[ref.slice(prefix.length)]);
    return object;
  }
}

// GHES serves uploads under `/api/uploads`, github.com on `uploads.github.com`.
function servedOnUploads(servers: unknown): boolean {
  if (!Array.isArray(servers)) return false;
  return servers.some((s) => /uploads/.test(String(asObject(s).url)));
}
