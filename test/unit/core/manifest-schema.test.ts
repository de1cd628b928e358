/**
 * schemas/manifest.schema.json is generated from ManifestSchema (zod) and
 * must stay equal to it. Regenerate after a schema change with
 * `UPDATE_SCHEMAS=1 npx vitest run --project unit test/unit/core/manifest-schema.test.ts`.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { canonicalJson } from "../../../src/core/canonical-json.js";
import { ManifestSchema } from "../../../src/core/manifest.js";

const ROOT = join(import.meta.dirname, "../../..");
const SCHEMA_FILE = join(ROOT, "schemas/manifest.schema.json");
const FIXTURES = join(ROOT, "test/fixtures/manifests");

function generated(): string {
  const schema = z.toJSONSchema(ManifestSchema, { target: "draft-2020-12" });
  return canonicalJson({
    ...schema,
    $id: "https://github.com/livepatch-gitops/livepatch-gitops/schemas/manifest.schema.json",
    title: "livepatch-gitops signed manifest (manifest.json, kernel-<buildId>.json)",
  });
}

describe("schemas/manifest.schema.json", () => {
  it("equals the JSON Schema generated from ManifestSchema", () => {
    if (process.env.UPDATE_SCHEMAS === "1") writeFileSync(SCHEMA_FILE, generated());
    // Compared as values: prettier may re-wrap the file.
    const file: unknown = JSON.parse(readFileSync(SCHEMA_FILE, "utf8"));
    expect(file).toEqual(JSON.parse(generated()));
    expect(file).toMatchObject({
      $schema: "https://json-schema.org/draft/2020-12/schema",
    });
  });

  it.each(readdirSync(FIXTURES).filter((f) => f.endsWith(".json")))(
    "fixture %s is valid",
    (name) => {
      const value: unknown = JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));
      expect(ManifestSchema.safeParse(value).error).toBeUndefined();
    },
  );
});
