/**
 * packages/lpctl/schemas/manifest.schema.json is generated from ManifestSchema (zod) and
 * must stay equal to it. Regenerate after a schema change with
 * `UPDATE_SCHEMAS=1 npx vitest run --project unit packages/lpctl/test/unit/core/manifest-schema.test.ts`.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { canonicalJson } from "../../../src/core/canonical-json.js";
import { BuildReportSchema } from "../../../src/core/build-report.js";
import { idProblem } from "../../../src/core/ids.js";
import { ManifestSchema } from "../../../src/core/manifest.js";

const ROOT = join(import.meta.dirname, "../../../../..");
const SCHEMA_FILE = join(ROOT, "packages/lpctl/schemas/manifest.schema.json");
const REPORT_SCHEMA_FILE = join(ROOT, "packages/lpctl/schemas/build-report.schema.json");
const FIXTURES = join(ROOT, "packages/lpctl/test/fixtures/manifests");

function generated(): string {
  const schema = z.toJSONSchema(ManifestSchema, { target: "draft-2020-12" });
  return canonicalJson({
    ...schema,
    $id: "https://github.com/livepatch-gitops/livepatch-gitops/schemas/manifest.schema.json",
    title: "livepatch-gitops signed manifest (manifest.json, kernel-<buildId>.json)",
  });
}

function generatedReport(): string {
  const schema = z.toJSONSchema(BuildReportSchema, { target: "draft-2020-12" });
  return canonicalJson({
    ...schema,
    $id: "https://github.com/livepatch-gitops/livepatch-gitops/schemas/build-report.schema.json",
    title: "livepatch-gitops build report (build-report.json)",
  });
}

describe("packages/lpctl/schemas/build-report.schema.json", () => {
  it("equals the JSON Schema generated from BuildReportSchema", () => {
    if (process.env.UPDATE_SCHEMAS === "1") writeFileSync(REPORT_SCHEMA_FILE, generatedReport());
    const file: unknown = JSON.parse(readFileSync(REPORT_SCHEMA_FILE, "utf8"));
    expect(file).toEqual(JSON.parse(generatedReport()));
  });

  it.each(["lab", "debian-6.1-lab", "x/../../escaped", "..", "a..b", "A", "-x", "x".repeat(65)])(
    "target id %s: the schema agrees with the repository's id rule",
    (id) => {
      const ok = BuildReportSchema.shape.target.safeParse(id).success;
      expect(ok).toBe(idProblem(id) === undefined);
    },
  );
});

describe("packages/lpctl/schemas/manifest.schema.json", () => {
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
