/**
 * OpenAPI 3.0 marks a schema that also accepts `null` with `nullable: true`;
 * JSON Schema (what Ajv checks) has no such keyword. Two measured failures
 * follow from leaving it in: `nullable` next to an `enum` still rejects null
 * (check-run `conclusion: null` fails), and `nullable` without `type` (on a
 * `$ref` or `allOf`) makes Ajv refuse to compile the schema at all.
 */

type Json = Record<string, unknown>;

// Keywords whose value is one schema, a map of schemas, or a list of schemas:
// the only places a nested schema can sit in an OpenAPI 3.0 schema object.
const ONE = ["items", "additionalProperties", "not"] as const;
const MAP = ["properties", "patternProperties"] as const;
const LIST = ["allOf", "anyOf", "oneOf"] as const;

/**
 * Rewrites `schema` and every schema nested in it, in place, so that
 * `nullable: true` becomes JSON Schema: `type: [T, "null"]` (with `null`
 * added to an `enum`), or `anyOf: [schema, { type: "null" }]` when there is
 * no `type` to widen. Returns the (possibly replaced) root schema.
 */
export function convertNullable(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  for (const key of ONE) {
    if (key in schema) schema[key] = convertNullable(schema[key]);
  }
  for (const key of MAP) {
    const map = schema[key];
    if (!isObject(map)) continue;
    for (const name of Object.keys(map)) map[name] = convertNullable(map[name]);
  }
  for (const key of LIST) {
    const list = schema[key];
    if (Array.isArray(list)) schema[key] = list.map(convertNullable);
  }
  return widen(schema);
}

function widen(schema: Json): Json {
  if (!("nullable" in schema)) return schema;
  const { nullable, ...rest } = schema;
  if (nullable !== true) return rest;
  if (typeof rest.type === "string") {
    rest.type = [rest.type, "null"];
    const values: unknown = rest.enum;
    if (Array.isArray(values) && !values.includes(null))
      rest.enum = [...(values as unknown[]), null];
    return rest;
  }
  return { anyOf: [rest, { type: "null" }] };
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
