/** The official OpenVEX 0.2.0 schema (packages/test-support/fixtures/openvex), compiled once with Ajv 2020. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const SCHEMA = JSON.parse(
  readFileSync(join(import.meta.dirname, "../fixtures/openvex/openvex_json_schema.json"), "utf8"),
) as object;

// strictRequired off: the official schema names `required` properties inside `if`/`then`
// branches that declare no `properties`, which Ajv's strict mode refuses to compile.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats.default(ajv, { formats: ["date-time", "uri"] });
// ajv-formats has no "iri" (RFC 3987): a scheme, then no space, control or excluded character.
// eslint-disable-next-line no-control-regex -- control characters are what is refused
ajv.addFormat("iri", /^[A-Za-z][A-Za-z0-9+.-]*:[^\s\x00-\x1f<>"{}|\\^`]+$/u);
const validate = ajv.compile(SCHEMA);

/** The schema's complaints about `doc` as text ("" when it is valid). */
export function openvexErrors(doc: unknown): string {
  return validate(doc) ? "" : ajv.errorsText(validate.errors, { separator: "\n" });
}
