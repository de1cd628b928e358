/**
 * Builds the smallest value a JSON schema accepts: every required property,
 * the first enum value, the first non-null branch of a union, one item per
 * required array. Used to make complete, valid payloads from GitHub's own
 * schemas, so a test can then break exactly one field.
 */
type Json = Record<string, unknown>;

export function sampleFromSchema(schema: unknown, root: Json, depth = 0): unknown {
  const s = resolve(schema, root);
  if (depth > 40) return null;
  if ("const" in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum.find((v) => v !== null) ?? null;
  if (Array.isArray(s.allOf)) {
    return Object.assign(
      {},
      ...(s.allOf.map((part) => sampleFromSchema(part, root, depth + 1)) as Json[]),
    );
  }
  const union = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) {
    const branch = union.find((b) => resolve(b, root).type !== "null") ?? union[0];
    return sampleFromSchema(branch, root, depth + 1);
  }
  const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string | undefined];
  const type = types.find((t) => t !== "null") ?? (s.properties ? "object" : undefined);
  switch (type) {
    case "object": {
      const props = (s.properties ?? {}) as Json;
      const required = (s.required ?? []) as string[];
      return Object.fromEntries(
        required.map((name) => [name, sampleFromSchema(props[name] ?? {}, root, depth + 1)]),
      );
    }
    case "array":
      return (s.minItems as number | undefined)
        ? [sampleFromSchema(s.items ?? {}, root, depth + 1)]
        : [];
    case "integer":
    case "number":
      return typeof s.minimum === "number" ? s.minimum : 1;
    case "boolean":
      return false;
    case "string":
      return sampleString(s);
    case "null":
      return null;
    default:
      return "any";
  }
}

function sampleString(s: Json): string {
  if (typeof s.example === "string" && s.pattern === undefined) return s.example;
  switch (s.format) {
    case "date-time":
      return "2026-11-30T12:00:00Z";
    case "uri":
      return "http://127.0.0.1:3000/x";
    case "email":
      return "octocat@example.com";
    default:
      return "x";
  }
}

function resolve(schema: unknown, root: Json): Json {
  let s = (schema ?? {}) as Json;
  while (typeof s.$ref === "string") {
    const pointer = s.$ref.slice(s.$ref.indexOf("#") + 2).split("/");
    s = pointer.reduce<Json>((node, key) => (node[key] ?? {}) as Json, root);
  }
  return s;
}
