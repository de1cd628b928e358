import { beforeAll, describe, expect, it } from "vitest";
import { asObject } from "../../../src/conformance/json.js";
import { readDescription } from "../../../src/conformance/spec-files.js";
import {
  createWebhookConformance,
  webhookKey,
  type WebhookConformance,
} from "../../../src/conformance/webhooks.js";
import { sampleFromSchema } from "./sample-from-schema.js";

type Payload = Record<string, Record<string, unknown>>;

let conformance: WebhookConformance;
let document: Record<string, unknown>;
beforeAll(() => {
  conformance = createWebhookConformance();
  // A second copy: the validator rewrites the references of its own.
  document = readDescription("@octokit/openapi-webhooks", "api.github.com.json");
});

/** The smallest complete payload GitHub's schema for `key` accepts. */
function sample(key: string): Payload {
  return sampleFromSchema({ $ref: `#/components/schemas/webhook-${key}` }, document) as Payload;
}

describe("webhookKey", () => {
  it("joins event and action with '-', writing '_' as '-'", () => {
    expect(webhookKey("pull_request", "opened")).toBe("pull-request-opened");
    expect(webhookKey("workflow_run", "in_progress")).toBe("workflow-run-in-progress");
    expect(webhookKey("push", undefined)).toBe("push");
    expect(webhookKey("repository_dispatch", "lpctl-refresh")).toBe(
      "repository-dispatch-sample.collected",
    );
  });
});

describe("createWebhookConformance", () => {
  it("accepts GitHub's own ping example", () => {
    const body = asObject(asObject(asObject(document.webhooks).ping).post).requestBody;
    const media = asObject(asObject(asObject(body).content)["application/json"]);
    const ref = String(asObject(asObject(media.examples).default).$ref);
    const example = asObject(
      asObject(asObject(document.components).examples)[ref.split("/").pop() ?? ""],
    ).value;
    expect(asObject(example).hook).toBeDefined();
    expect(conformance.check("ping", undefined, example)).toEqual({ schemaKey: "ping" });
    expect(
      conformance.check("ping", undefined, { ...asObject(example), hook_id: "1" }).violation,
    ).toBe("webhook ping: /hook_id must be integer");
  });

  it("names repository.has_discussions when a push payload lacks it (what frozen community examples miss)", () => {
    const push = sample("push");
    expect(conformance.check("push", undefined, push)).toEqual({ schemaKey: "push" });
    delete push.repository.has_discussions;
    expect(conformance.check("push", undefined, push).violation).toBe(
      "webhook push: /repository must have required property 'has_discussions'",
    );
  });

  it("validates pull_request.opened, naming a missing head sha", () => {
    const opened = sample("pull-request-opened");
    expect(conformance.check("pull_request", "opened", opened)).toEqual({
      schemaKey: "pull-request-opened",
    });
    delete asObject(opened.pull_request.head).sha;
    expect(conformance.check("pull_request", "opened", opened).violation).toMatch(
      /^webhook pull-request-opened: \/pull_request\/head must have required property 'sha'/,
    );
  });

  it("holds the action to the event's schema", () => {
    const opened = { ...sample("pull-request-opened"), action: "closed" };
    expect(conformance.check("pull_request", "opened", opened).violation).toMatch(
      /\/action must be equal to one of the allowed values \("opened"\)/,
    );
  });

  it("accepts check_run.completed and workflow_run.in_progress payloads built from their schemas", () => {
    expect(
      conformance.check("check_run", "completed", sample("check-run-completed")).violation,
    ).toBeUndefined();
    expect(
      conformance.check("workflow_run", "in_progress", sample("workflow-run-in-progress"))
        .violation,
    ).toBeUndefined();
  });

  it("reports unknown events, and an event that needs an action given none", () => {
    expect(conformance.check("no_such_event", undefined, {})).toEqual({
      violation: "webhook no-such-event: no such event in GitHub's webhook description",
    });
    expect(conformance.check("constructor", undefined, {}).violation).toMatch(/no such event/);
    expect(conformance.check("pull_request", undefined, {}).violation).toBe(
      "webhook pull-request: no such event in GitHub's webhook description (this event needs an action)",
    );
  });
});
