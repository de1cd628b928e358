import { createDraft2020Ajv } from "./ajv-setup.js";
import { asObject } from "./json.js";
import { rewriteComponentRefs } from "./refs.js";
import { readDescription } from "./spec-files.js";
import { ValidatorCache } from "./validator-cache.js";

/** The `$id` GitHub's webhook components are registered under in Ajv. */
const WEBHOOK_COMPONENTS_ID = "github-webhooks";

export interface WebhookCheckResult {
  /** The description's key for the payload, e.g. `pull-request-opened` or `push`. */
  schemaKey?: string;
  /** Why the payload is not what GitHub describes; undefined when it conforms. */
  violation?: string;
}

export interface WebhookConformance {
  /** Checks one delivery: `event` as in `X-GitHub-Event`, `action` as in the payload's `action`. */
  check(event: string, action: string | undefined, payload: unknown): WebhookCheckResult;
}

type Json = Record<string, unknown>;

/**
 * The description's key for an event and action. GitHub's keys are the
 * event name and the action joined by `-`, with `_` written `-`
 * (`workflow_run` + `in_progress` → `workflow-run-in-progress`); events
 * without actions (`push`, `ping`, `create`) are keyed by the event alone.
 */
export function webhookKey(event: string, action: string | undefined): string {
  const dashed = (s: string) => s.replace(/_/g, "-");
  // repository_dispatch's `action` is the sender's free-form event_type; the
  // description has one schema for it, under its sample action.
  if (event === "repository_dispatch") return "repository-dispatch-sample.collected";
  return action === undefined ? dashed(event) : `${dashed(event)}-${dashed(action)}`;
}

/**
 * Loads GitHub's webhook description (`@octokit/openapi-webhooks`, OpenAPI
 * 3.1, so JSON Schema 2020-12 and no `nullable` to convert) and checks
 * payloads against it, compiling per event on demand.
 */
export function createWebhookConformance(file = "api.github.com.json"): WebhookConformance {
  const document = readDescription("@octokit/openapi-webhooks", file);
  const webhooks = asObject(document.webhooks);
  const schemas = asObject(asObject(document.components).schemas);
  rewriteComponentRefs(schemas, WEBHOOK_COMPONENTS_ID);
  const ajv = createDraft2020Ajv();
  ajv.addSchema({ $id: WEBHOOK_COMPONENTS_ID, components: { schemas } });
  const cache = new ValidatorCache(ajv);

  /** The payload schema of `key`, its references made absolute; undefined for an unknown key. */
  function schemaOf(key: string): unknown {
    const body = asObject(asObject(asObject(webhooks[key]).post).requestBody);
    const schema = asObject(asObject(body.content)["application/json"]).schema;
    if (schema !== undefined) rewriteComponentRefs(schema, WEBHOOK_COMPONENTS_ID);
    return schema;
  }

  return {
    check(event, action, payload) {
      const schemaKey = webhookKey(event, action);
      if (!Object.hasOwn(webhooks, schemaKey)) {
        const hint =
          action === undefined && hasActions(webhooks, event)
            ? " (this event needs an action)"
            : "";
        return {
          violation: `webhook ${schemaKey}: no such event in GitHub's webhook description${hint}`,
        };
      }
      const errors = cache.validate(schemaKey, () => schemaOf(schemaKey), payload);
      return errors === undefined
        ? { schemaKey }
        : { schemaKey, violation: `webhook ${schemaKey}: ${errors}` };
    },
  };
}

function hasActions(webhooks: Json, event: string): boolean {
  const prefix = `${webhookKey(event, undefined)}-`;
  return Object.keys(webhooks).some((k) => k.startsWith(prefix));
}
