/**
 * The checks/statuses/releases/Actions tests' view of the shared conformance
 * hooks (packages/test-support/src/forge-conformance.ts: ghes-3.19 for every REST answer,
 * @octokit/openapi-webhooks for every payload, coverage recorded for
 * docs/forge.md), plus what each test asserts on: the violations seen and the
 * operations and webhooks checked.
 */
import type { ResponseRecord } from "@livepatch-gitops/forge";
import { forgeConformanceHooks, restConformance, webhookConformance } from "./forge-conformance.js";

export interface Conformance {
  onResponse(r: ResponseRecord): string | undefined;
  onWebhook(event: string, action: string | undefined, payload: unknown): string | undefined;
  /** Every violation seen (responses and webhooks). */
  violations: string[];
  /** Operations answered and checked, "METHOD path status", and "webhook <schema key>". */
  checked: Set<string>;
}

export function conformance(): Conformance {
  const shared = forgeConformanceHooks("answer");
  const violations: string[] = [];
  const checked = new Set<string>();
  const note = (violation: string | undefined) => {
    if (violation !== undefined) violations.push(violation);
    return violation;
  };
  return {
    violations,
    checked,
    onResponse(r) {
      // The forge's own admin routes are not GitHub's API.
      if (r.operationPath === undefined || r.operationPath.startsWith("/_forge")) return undefined;
      const violation = shared.onResponse(r);
      const { template } = restConformance().check(r.method, r.path, r.status, r.body);
      if (template !== undefined) checked.add(`${r.method} ${template} ${String(r.status)}`);
      return note(violation);
    },
    onWebhook(event, action, payload) {
      const violation = shared.onWebhook(event, action, payload);
      const { schemaKey } = webhookConformance().check(event, action, payload);
      if (schemaKey !== undefined) checked.add(`webhook ${schemaKey}`);
      return note(violation);
    },
  };
}
