import { createRestConformance, type RestCheckResult, type RestConformance } from "./rest.js";
import {
  createWebhookConformance,
  type WebhookCheckResult,
  type WebhookConformance,
} from "./webhooks.js";

/** A response as the forge hands it to `onResponse`. */
export interface ConformanceResponse {
  method: string;
  /** After `/api/v3` or `/api/uploads`, or with that prefix (then the host is checked too). */
  path: string;
  status: number;
  /** The parsed JSON body; undefined for none. */
  body: unknown;
  contentType?: string;
}

/** The hooks the forge accepts: a returned string is a violation, answered with 502 naming it. */
export interface ConformanceHooks {
  onResponse: (r: ConformanceResponse) => string | undefined;
  onWebhook: (event: string, action: string | undefined, payload: unknown) => string | undefined;
}

export interface ConformanceHooksOptions {
  /** Defaults: ghes-3.19 with undocumented error statuses held to GitHub's generic error shape. */
  rest?: RestConformance;
  webhooks?: WebhookConformance;
  /** Called with every result, conforming or not (tests record coverage from it). */
  onRestResult?: (r: ConformanceResponse, result: RestCheckResult) => void;
  onWebhookResult?: (event: string, action: string | undefined, result: WebhookCheckResult) => void;
}

/**
 * The forge's hooks, ready to pass to startForge (tests do). Load this
 * module with `await import()`, so a forge started without it never parses
 * GitHub's descriptions; the webhook description loads on the first delivery.
 */
export function createConformanceHooks(options: ConformanceHooksOptions = {}): ConformanceHooks {
  const rest = options.rest ?? createRestConformance({ undocumentedErrors: "generic" });
  let webhooks = options.webhooks;
  return {
    onResponse(r) {
      const result = rest.check(r.method, r.path, r.status, r.body, r.contentType);
      options.onRestResult?.(r, result);
      return result.violation;
    },
    onWebhook(event, action, payload) {
      webhooks ??= createWebhookConformance();
      const result = webhooks.check(event, action, payload);
      options.onWebhookResult?.(event, action, result);
      return result.violation;
    },
  };
}
