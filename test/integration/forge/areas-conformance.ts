/**
 * A small conformance check for the checks/statuses/releases/Actions tests:
 * every REST answer against its operation in GitHub's ghes-3.19 description,
 * every webhook payload against @octokit/openapi-webhooks. Files are read
 * directly (never through the packages' index), schemas compiled per
 * operation on first use.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { ResponseRecord } from "../../../src/forge/index.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;
const ROOT = join(import.meta.dirname, "../../..");

type Json = Record<string, unknown>;

/** OpenAPI 3.0 `nullable` → JSON Schema null (with enums, and on typeless schemas). */
function denull(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(denull);
  if (node === null || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = k === "example" ? v : denull(v);
  if (out.nullable !== true) return out;
  delete out.nullable;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    const values = out.enum as unknown[] | undefined;
    if (Array.isArray(values) && !values.includes(null)) out.enum = [...values, null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    out[k] =
      k === "$ref" && typeof v === "string"
        ? v.replace("#/components/", "gh#/components/")
        : rewriteRefs(v);
  }
  return out;
}

export interface Conformance {
  onResponse(r: ResponseRecord): string | undefined;
  onWebhook(event: string, action: string | undefined, payload: unknown): string | undefined;
  /** Every violation seen (responses and webhooks). */
  violations: string[];
  /** Operations answered and checked, "METHOD path status". */
  checked: Set<string>;
}

export function conformance(): Conformance {
  const rest = JSON.parse(
    readFileSync(join(ROOT, "node_modules/@octokit/openapi/generated/ghes-3.19.json"), "utf8"),
  ) as { paths: Record<string, Record<string, Json>>; components: Json };
  const hooks = JSON.parse(
    readFileSync(
      join(ROOT, "node_modules/@octokit/openapi-webhooks/generated/api.github.com.json"),
      "utf8",
    ),
  ) as { webhooks: Record<string, { post: Json }>; components: Json };
  const ajv = new Ajv({ strict: false, allErrors: false });
  addFormats(ajv);
  ajv.addSchema({ $id: "gh", components: rewriteRefs(denull(rest.components)) });
  const ajvHooks = new Ajv2020({ strict: false });
  addFormats(ajvHooks);
  ajvHooks.addSchema({ $id: "gh", components: rewriteRefs(hooks.components) });
  const cache = new Map<string, ValidateFunction | null>();
  const violations: string[] = [];
  const checked = new Set<string>();

  const compile = (key: string, make: () => ValidateFunction | null): ValidateFunction | null => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) ?? null;
  };
  const explain = (v: ValidateFunction): string =>
    (v.errors ?? [])
      .slice(0, 3)
      .map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`)
      .join("; ");

  return {
    violations,
    checked,
    onResponse(r) {
      if (r.operationPath === undefined || r.operationPath.startsWith("/_forge")) return undefined;
      const op = rest.paths[r.operationPath]?.[r.method.toLowerCase()] as Json | undefined;
      const key = `${r.method} ${r.operationPath} ${r.status}`;
      if (!op) {
        violations.push(`no operation ${key}`);
        return `no operation ${r.method} ${r.operationPath}`;
      }
      const responses = op.responses as Record<string, Json>;
      const response = responses[String(r.status)];
      if (!response) {
        if (r.status >= 400) return undefined; // error bodies are checked by the tests
        violations.push(`undocumented status ${key}`);
        return `undocumented status ${r.status}`;
      }
      const content = response.content as Record<string, { schema?: Json }> | undefined;
      const schema = content?.["application/json"]?.schema;
      checked.add(key);
      if (!schema) return undefined;
      const v = compile(key, () => ajv.compile(rewriteRefs(denull(schema)) as Json));
      if (v && !v(r.body)) {
        const msg = `${key}: ${explain(v)}`;
        violations.push(msg);
        return msg;
      }
      return undefined;
    },
    onWebhook(event, action, payload) {
      const base = event.replace(/_/g, "-");
      const key =
        event === "repository_dispatch"
          ? "repository-dispatch-sample.collected"
          : action !== undefined && hooks.webhooks[`${base}-${action.replace(/_/g, "-")}`]
            ? `${base}-${action.replace(/_/g, "-")}`
            : base;
      const hook = hooks.webhooks[key];
      if (!hook) {
        violations.push(`no webhook schema ${key}`);
        return `no webhook schema ${key}`;
      }
      const body = hook.post.requestBody as { content: Record<string, { schema: Json }> };
      const schema = body.content["application/json"]?.schema ?? {};
      const v = compile(`hook ${key}`, () => ajvHooks.compile(rewriteRefs(schema) as Json));
      checked.add(`webhook ${key}`);
      if (v && !v(payload)) {
        const msg = `webhook ${key}: ${explain(v)}`;
        violations.push(msg);
        return msg;
      }
      return undefined;
    },
  };
}
