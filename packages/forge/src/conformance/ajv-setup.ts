import { Ajv, type ErrorObject, type Options } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import formatsModule from "ajv-formats";

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default
// import is the whole module object, so the plugin is its `default`.
const addFormats = formatsModule.default;

/**
 * GitHub's descriptions use OpenAPI keywords Ajv does not know (`example`,
 * `discriminator`, `x-github`, …) and formats of their own; `strict: false`
 * ignores them, and the logger stays quiet about it so test output shows
 * only real violations.
 */
const OPTIONS: Options = {
  strict: false,
  allErrors: true,
  logger: {
    log: () => undefined,
    warn: () => undefined,
    error: (...a: unknown[]) => console.error(...a),
  },
};

/** An Ajv for OpenAPI 3.0 schemas (JSON Schema draft-07 once `nullable` is converted). */
export function createDraft07Ajv(): Ajv {
  const ajv = new Ajv(OPTIONS);
  addFormats(ajv);
  return ajv;
}

/** An Ajv for OpenAPI 3.1 schemas, which are JSON Schema 2020-12. */
export function createDraft2020Ajv(): Ajv2020 {
  const ajv = new Ajv2020(OPTIONS);
  addFormats(ajv);
  return ajv;
}

/**
 * The first few errors, most useful first: a missing field or a wrong type
 * says more than the `anyOf` that wraps every nullable reference, or its
 * "must be null" branch.
 */
export function describeErrors(errors: readonly ErrorObject[], limit = 5): string {
  const ranked = [...errors].sort((a, b) => noise(a) - noise(b));
  const shown = ranked.slice(0, limit).map(describeError);
  const more = ranked.length - shown.length;
  return more > 0 ? `${shown.join("; ")}; (+${more} more)` : shown.join("; ");
}

function noise(error: ErrorObject): number {
  if (error.keyword === "anyOf" || error.keyword === "oneOf") return 2;
  if (error.keyword === "type" && error.message === "must be null") return 1;
  return 0;
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === "" ? "(body)" : error.instancePath;
  const params = error.params as { allowedValues?: unknown[]; additionalProperty?: string };
  const extra =
    params.allowedValues !== undefined
      ? ` (${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")})`
      : "";
  return `${where} ${error.message ?? error.keyword}${extra}`;
}
