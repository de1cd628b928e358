/**
 * Holds the forge to GitHub's descriptions in tests: one REST and one webhook
 * validator per test file (loaded on first use), assertions for a response or
 * payload at hand, and the hooks the forge calls on every response and
 * webhook it produces. Everything that conforms is recorded for the coverage
 * table in docs/forge.md (scripts/forge-coverage.mjs).
 */
import path from "node:path";
import { afterEach, expect } from "vitest";
import {
  COVERAGE_DIR_ENV,
  CoverageRecorder,
  createConformanceHooks,
  createRestConformance,
  createWebhookConformance,
  writeCoverageRecords,
  type ConformanceHooks,
  type ConformanceResponse,
  type RestCheckResult,
  type RestConformance,
  type WebhookCheckResult,
  type WebhookConformance,
} from "@livepatch-gitops/forge/conformance";

export type { ConformanceHooks, ConformanceResponse };

let rest: RestConformance | undefined;
let webhooks: WebhookConformance | undefined;
// This test file's records: a worker that runs several files in one module
// graph (vitest.config.ts) starts each file's after the last one's dump.
let recorder = new CoverageRecorder();

/** The shared REST validator: ghes-3.19, undocumented error statuses held to GitHub's generic error shape. */
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

function recordRest(r: ConformanceResponse, result: RestCheckResult): void {
  if (
    result.violation !== undefined ||
    result.operationId === undefined ||
    result.template === undefined
  )
    return;
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

function recordWebhook(
  _event: string,
  _action: string | undefined,
  result: WebhookCheckResult,
): void {
  if (result.violation !== undefined || result.schemaKey === undefined) return;
  recorder.add({ kind: "webhook", schemaKey: result.schemaKey, test: currentTest() });
}

/** Checks one response and records it when it conforms. */
function checkRest(r: ConformanceResponse): RestCheckResult {
  const result = restConformance().check(r.method, r.path, r.status, r.body, r.contentType);
  recordRest(r, result);
  return result;
}

/** Checks one webhook payload and records it when it conforms. */
function checkHook(
  event: string,
  action: string | undefined,
  payload: unknown,
): WebhookCheckResult {
  const result = webhookConformance().check(event, action, payload);
  recordWebhook(event, action, result);
  return result;
}

/** Fails the test unless the response conforms; returns its operation id. */
export function expectConformant(r: ConformanceResponse): string {
  const { operationId, violation } = checkRest(r);
  if (violation !== undefined) throw new Error(`REST response does not conform: ${violation}`);
  return operationId ?? "";
}

/** Fails the test unless the webhook payload conforms; returns its schema key. */
export function expectWebhookConformant(
  event: string,
  action: string | undefined,
  payload: unknown,
): string {
  const { schemaKey, violation } = checkHook(event, action, payload);
  if (violation !== undefined) throw new Error(`webhook payload does not conform: ${violation}`);
  return schemaKey ?? "";
}

/**
 * Hooks for a forge under test. "answer" returns each violation, so the forge
 * answers 502 naming it (seen at once, but a client with retries may retry a
 * 502); "record" returns nothing and collects the violations in `violations`,
 * for an afterEach to assert empty. Both record coverage.
 */
export function forgeConformanceHooks(mode: "answer" | "record" = "answer"): ConformanceHooks & {
  violations: string[];
} {
  const violations: string[] = [];
  const hooks = createConformanceHooks({
    rest: restConformance(),
    webhooks: webhookConformance(),
    onRestResult: recordRest,
    onWebhookResult: recordWebhook,
  });
  const handle = (violation: string | undefined) => {
    if (violation === undefined) return undefined;
    violations.push(`${currentTest()}: ${violation}`);
    return mode === "answer" ? violation : undefined;
  };
  return {
    violations,
    onResponse: (r) => handle(hooks.onResponse(r)),
    onWebhook: (event, action, payload) => handle(hooks.onWebhook(event, action, payload)),
  };
}

/**
 * For a forge test file, at its top level: "record" hooks whose violations
 * fail the test that caused them (afterEach); coverage is dumped by
 * dumpForgeCoverage after the file.
 */
export function useForgeConformance(): ConformanceHooks {
  const hooks = forgeConformanceHooks("record");
  afterEach(() => {
    const found = hooks.violations.splice(0);
    expect(found, "responses or webhooks that do not conform to GitHub's descriptions").toEqual([]);
  });
  return hooks;
}

/**
 * Dumps this test file's coverage records when $LPCTL_FORGE_COVERAGE_DIR
 * names a directory (the integration and e2e projects call it after every
 * file through packages/test-support/src/forge-coverage-setup.ts).
 */
export function dumpForgeCoverage(): void {
  const dir = process.env[COVERAGE_DIR_ENV];
  const records = recorder.records();
  if (dir !== undefined && dir !== "" && records.length > 0) writeCoverageRecords(dir, records);
  recorder = new CoverageRecorder();
}

/** What this test file's checks recorded so far (for tests of the recorder itself). */
export function recordedCoverage() {
  return recorder.records();
}
