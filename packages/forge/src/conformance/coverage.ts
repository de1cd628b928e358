/**
 * What the conformance checks saw succeed, so the committed coverage table
 * (docs/forge.md) can name, for every operation the forge implements, a test
 * that held it to GitHub's description.
 */

/** A REST response that conformed. */
export interface RestCoverageRecord {
  kind: "rest";
  operationId: string;
  method: string;
  template: string;
  status: number;
  /** False when the status is undocumented and was checked as GitHub's generic error. */
  documented: boolean;
  /** `packages/forge/test/integration/releases.test.ts > uploads an asset`. */
  test: string;
}

/** A webhook payload that conformed. */
export interface WebhookCoverageRecord {
  kind: "webhook";
  schemaKey: string;
  test: string;
}

export type CoverageRecord = RestCoverageRecord | WebhookCoverageRecord;

/** Collects records, once per distinct (what, test) pair. */
export class CoverageRecorder {
  private readonly seen = new Map<string, CoverageRecord>();

  add(record: CoverageRecord): void {
    this.seen.set(recordKey(record), record);
  }

  records(): CoverageRecord[] {
    return [...this.seen.values()];
  }
}

/** A key that is equal for records that say the same thing. */
export function recordKey(r: CoverageRecord): string {
  return r.kind === "rest"
    ? `rest ${r.operationId} ${r.method} ${r.status} ${r.test}`
    : `webhook ${r.schemaKey} ${r.test}`;
}

/** Records from several files (one per test file or worker), without duplicates. */
export function mergeRecords(lists: Iterable<readonly CoverageRecord[]>): CoverageRecord[] {
  const recorder = new CoverageRecorder();
  for (const list of lists) for (const record of list) recorder.add(record);
  return recorder.records();
}

/** Checks that parsed JSON is a list of coverage records (the dump files are read back). */
export function isCoverageRecordList(value: unknown): value is CoverageRecord[] {
  return Array.isArray(value) && value.every(isRecord);
}

function isRecord(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  if (typeof r.test !== "string") return false;
  if (r.kind === "webhook") return typeof r.schemaKey === "string";
  return (
    r.kind === "rest" &&
    typeof r.operationId === "string" &&
    typeof r.method === "string" &&
    typeof r.template === "string" &&
    typeof r.status === "number" &&
    typeof r.documented === "boolean"
  );
}
