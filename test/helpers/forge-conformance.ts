/**
 * Holds the forge to GitHub's descriptions in tests: one REST and one webhook
 * validator per test file (loaded on first use), assertions for a response or
 * payload at hand, and the hooks the forge calls on every response and
 * webhook it produces. Everything that conforms is recorded for the coverage
 * table in docs/forge.md (scripts/forge-coverage.mjs).
 */
import path from "node:path";
import { afterAll, afterEach, expect } from "vitest";
import {
  COVERAGE_DIR_ENV,
  CoverageRecorder,
  createRestConformance,
  createWebhookConformance,
  writeCoverageRecords,
  type RestCheckResult,
  type RestConformance,
  type WebhookCheckResult,
  type WebhookConformance,
} from "../../src/forge/conformance/index.js";

/** A response as the forge's `onResponse` hook receives it; `path` is after `/api/v3` or `/api/uploads`, or includes them. */
export interface ForgeResponse {
  method: string;
  path: string;
  status: number;
  /** The parsed JSON body (undefined for none). */
  body: unknown;
  contentType?: string;
}

/** The hooks the forge accepts; a returned string is a violation (the forge answers 502 naming it). */
export interface ForgeConformanceHooks {
  onResponse: (r: ForgeResponse) => string | undefined;
  onWebhook: (event: string, action: string | undefined, payload: unknown) => string | undefined;
}

let rest: RestConformance | undefined;
let webhooks: WebhookConformance | undefined;
const recorder = new CoverageRecorder();

/** The shared REST validator (ghes-3.19; undocumented error statuses checked as GitHub's generic error). */
export function restConformance(): RestConformance {
  rest ??= createRestConformance({ spec: "ghes-3.19", undocumentedErrors: "generic" });
  return rest;
}

/** The shared webhook validator. */
export function webhookConformance(): WebhookConformance {
  webhooks ??= createWebhookConformance();
  return webhooks;
}

/** The running test, as the coverage table names it: `<file relative to the repo> > <test name>`. */
function currentTest(): string {
  const state = expect.getState();
  const file =
    state.testPath === undefined ? "(unknown file)" : path.relative(process.cwd(), state.testPath);
  return `${file} > ${state.currentTestName ?? "(outside a test)"}`;
}

/** Checks one response, records it when it conforms, returns the violation otherwise. */
export function checkResponse(r: ForgeResponse): string | undefined {
  return checkAndRecord(r).violation;
}

function checkAndRecord(r: ForgeResponse): RestCheckResult {
  const result = restConformance().check(r.method, r.path, r.status, r.body, r.contentType);
  if (
    result.violation === undefined &&
    result.operationId !== undefined &&
    result.template !== undefined
  ) {
    recorder.add({
      kind: "rest",
      operationId: result.operationId,
      method: r.method.toUpperCase(),
      template: result.template,
      status: r.status,
      documented: result.documented ?? true,
      test: currentTest(),
    });
  }
  return result;
}

/** Checks one webhook payload, records it when it conforms, returns the violation otherwise. */
export function checkWebhook(
  event: string,
  action: string | undefined,
  payload: unknown,
): string | undefined {
  return checkAndRecordWebhook(event, action, payload).violation;
}

function checkAndRecordWebhook(
  event: string,
  action: string | undefined,
  payload: unknown,
): WebhookCheckResult {
  const result = webhookConformance().check(event, action, payload);
  if (result.violation === undefined && result.schemaKey !== undefined) {
    recorder.add({ kind: "webhook", schemaKey: result.schemaKey, test: currentTest() });
  }
  return result;
}

/** Fails the test unless the response conforms; returns its operation id. */
export function expectConformant(r: ForgeResponse): string {
  const { operationId, violation } = checkAndRecord(r);
  if (violation !== undefined) throw new Error(`REST response does not conform: ${violation}`);
  return operationId ?? "";
}

/** Fails the test unless the webhook payload conforms; returns its schema key. */
export function expectWebhookConformant(
  event: string,
  action: string | undefined,
  payload: unknown,
): string {
  const { schemaKey, violation } = checkAndRecordWebhook(event, action, payload);
  if (violation !== undefined) throw new Error(`webhook payload does not conform: ${violation}`);
  return schemaKey ?? "";
}

/**
 * Hooks for a forge under test. "answer" returns each violation, so the forge
 * answers 502 naming it (a client sees it at once, but clients with retries
 * may retry a 502); "record" returns nothing and collects the violations in
 * `violations`, for an afterEach to assert empty.
 */
export function forgeConformanceHooks(
  mode: "answer" | "record" = "answer",
): ForgeConformanceHooks & {
  violations: string[];
} {
  const violations: string[] = [];
  const handle = (violation: string | undefined) => {
    if (violation === undefined) return undefined;
    violations.push(`${currentTest()}: ${violation}`);
    return mode === "answer" ? violation : undefined;
  };
  return {
    violations,
    onResponse: (r) => handle(checkResponse(r)),
    onWebhook: (event, action, payload) => handle(checkWebhook(event, action, payload)),
  };
}

/**
 * For a forge test file, at its top level: "record" hooks whose violations
 * fail the test that caused them (afterEach), and the file's coverage records
 * dumped after it (afterAll) when $LPCTL_FORGE_COVERAGE_DIR names a directory.
 */
export function useForgeConformance(): ForgeConformanceHooks {
  const hooks = forgeConformanceHooks("record");
  afterEach(() => {
    const found = hooks.violations.splice(0);
    expect(found, "responses or webhooks that do not conform to GitHub's descriptions").toEqual([]);
  });
  afterAll(() => {
    const dir = process.env[COVERAGE_DIR_ENV];
    if (dir !== undefined && dir !== "") writeCoverageRecords(dir, recorder.records());
  });
  return hooks;
}

/** What this test file's checks recorded so far (for tests of the recorder itself). */
export function recordedCoverage() {
  return recorder.records();
}
