/**
 * The forge's conformance layer: REST responses and webhook payloads held to
 * GitHub's own descriptions. Tests load it (a program starting the forge
 * may import it dynamically); nothing in packages/forge/src may import it statically
 * (it parses an 11 MB description and pulls in Ajv).
 */
export {
  createRestConformance,
  type RestCheckResult,
  type RestConformance,
  type RestConformanceOptions,
  type RestSpec,
} from "./rest.js";
export {
  createWebhookConformance,
  webhookKey,
  type WebhookCheckResult,
  type WebhookConformance,
} from "./webhooks.js";
export {
  createConformanceHooks,
  type ConformanceHooks,
  type ConformanceHooksOptions,
  type ConformanceResponse,
} from "./hooks.js";
export {
  CoverageRecorder,
  mergeRecords,
  type CoverageRecord,
  type RestCoverageRecord,
  type WebhookCoverageRecord,
} from "./coverage.js";
export {
  renderCoverage,
  replaceCoverage,
  parseCoverage,
  unbackedCoverage,
} from "./coverage-table.js";
export { COVERAGE_DIR_ENV, readCoverageRecords, writeCoverageRecords } from "./coverage-files.js";
