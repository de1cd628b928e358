import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { format } from "prettier";
import { afterEach, describe, expect, it } from "vitest";
import {
  readCoverageRecords,
  writeCoverageRecords,
} from "../../../src/conformance/coverage-files.js";
import {
  COVERAGE_END,
  COVERAGE_START,
  parseCoverage,
  renderCoverage,
  replaceCoverage,
  unbackedCoverage,
} from "../../../src/conformance/coverage-table.js";
import type { CoverageRecord } from "../../../src/conformance/coverage.js";

const get = (test: string, status = 200, documented = true): CoverageRecord => ({
  kind: "rest",
  operationId: "repos/get-release",
  method: "GET",
  template: "/repos/{owner}/{repo}/releases/{release_id}",
  status,
  documented,
  test,
});
const records: CoverageRecord[] = [
  get("test/b.test.ts > gets"),
  get("test/a.test.ts > gets", 404, false),
  get("test/c.test.ts > gets"),
  {
    kind: "rest",
    operationId: "checks/create",
    method: "POST",
    template: "/repos/{owner}/{repo}/check-runs",
    status: 201,
    documented: true,
    test: "test/a.test.ts > creates | pipes",
  },
  { kind: "webhook", schemaKey: "push", test: "test/a.test.ts > pushes" },
];

describe("renderCoverage", () => {
  it("writes one sorted row per operation with its statuses and tests, and the webhooks", () => {
    expect(renderCoverage(records)).toBe(
      [
        COVERAGE_START,
        "",
        "| operation id | method | path | statuses | validated by |",
        "|---|---|---|---|---|",
        "| `checks/create` | POST | `/repos/{owner}/{repo}/check-runs` | 201 | test/a.test.ts > creates \\| pipes |",
        "| `repos/get-release` | GET | `/repos/{owner}/{repo}/releases/{release_id}` | 200, 404* | test/a.test.ts > gets<br>test/b.test.ts > gets<br>and 1 more |",
        "",
        "Statuses marked `*` are not documented for the operation and were checked against GitHub's generic error body.",
        "",
        "| webhook | validated by |",
        "|---|---|",
        "| `push` | test/a.test.ts > pushes |",
        "",
        COVERAGE_END,
      ].join("\n"),
    );
  });
});

describe("replaceCoverage and parseCoverage", () => {
  const doc = "# Forge\n\n## Conformance coverage\n\nHand-written intro.\n\n## Operating\n\ntext\n";

  it("inserts the tables under the heading, then replaces only the generated part", () => {
    const first = replaceCoverage(doc, renderCoverage(records));
    expect(
      first.startsWith("# Forge\n\n## Conformance coverage\n\n<!-- forge-coverage:start"),
    ).toBe(true);
    expect(first).toContain("Hand-written intro.\n\n## Operating\n\ntext\n");
    const second = replaceCoverage(first, renderCoverage(records.slice(4)));
    expect(parseCoverage(second)).toEqual({ operations: [], webhooks: ["push"] });
    expect(second).toContain("## Operating");
  });

  it("appends the heading when the document has none", () => {
    expect(replaceCoverage("# Forge\n", "GEN")).toBe("# Forge\n\n## Conformance coverage\n\nGEN\n");
  });

  it("reads back tables Prettier has aligned (npm run lint formats docs/)", async () => {
    const formatted = await format(replaceCoverage(doc, renderCoverage(records)), {
      parser: "markdown",
    });
    expect(formatted).toContain("| ------");
    expect(parseCoverage(formatted)).toEqual({
      operations: ["checks/create", "repos/get-release"],
      webhooks: ["push"],
    });
  });

  it("reads back what it wrote", () => {
    expect(parseCoverage(replaceCoverage(doc, renderCoverage(records)))).toEqual({
      operations: ["checks/create", "repos/get-release"],
      webhooks: ["push"],
    });
  });
});

describe("unbackedCoverage", () => {
  it("lists table entries no record backs, and nothing when every entry is backed", () => {
    const table = replaceCoverage("", renderCoverage(records));
    expect(unbackedCoverage(table, records)).toEqual([]);
    expect(unbackedCoverage(table, records.slice(0, 3))).toEqual([
      "operation checks/create",
      "webhook push",
    ]);
  });
});

describe("coverage files", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("round-trips records through one file per writer, merging duplicates", () => {
    dir = mkdtempSync(path.join(tmpdir(), "forge-coverage-"));
    writeCoverageRecords(dir, records.slice(0, 2));
    writeCoverageRecords(dir, records.slice(1));
    expect(readdirSync(dir)).toHaveLength(2);
    const merged = readCoverageRecords(dir);
    expect(merged).toHaveLength(records.length);
    expect(merged).toEqual(expect.arrayContaining(records));
  });

  it("refuses a file that is not a list of records", () => {
    dir = mkdtempSync(path.join(tmpdir(), "forge-coverage-"));
    writeFileSync(path.join(dir, "coverage-x.json"), JSON.stringify([{ kind: "rest", test: "t" }]));
    expect(() => readCoverageRecords(dir!)).toThrow(
      expect.objectContaining({ code: "SCHEMA_INVALID" }) as Error,
    );
  });
});
