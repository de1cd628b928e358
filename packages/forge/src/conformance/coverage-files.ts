import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ForgeError } from "../errors.js";
import { isCoverageRecordList, mergeRecords, type CoverageRecord } from "./coverage.js";

/**
 * Coverage records cross process boundaries as files: every test file (in
 * whichever vitest worker) writes its own, and scripts/forge-coverage.mjs
 * merges the directory once the run is over.
 */

/** The environment variable naming the directory test files dump their records into. */
export const COVERAGE_DIR_ENV = "LPCTL_FORGE_COVERAGE_DIR";

/** Writes `records` to a new file in `dir`; returns its path. */
export function writeCoverageRecords(dir: string, records: readonly CoverageRecord[]): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `coverage-${process.pid}-${randomUUID()}.json`);
  writeFileSync(file, `${JSON.stringify(records)}\n`);
  return file;
}

/** All records dumped into `dir`, merged. */
export function readCoverageRecords(dir: string): CoverageRecord[] {
  const lists = readdirSync(dir)
    .filter((name) => name.startsWith("coverage-") && name.endsWith(".json"))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
      if (!isCoverageRecordList(parsed)) {
        throw new ForgeError("SCHEMA_INVALID", `${file} is not a list of forge coverage records.`, {
          details: { file },
        });
      }
      return parsed;
    });
  return mergeRecords(lists);
}
