import { describe, expect, it } from "vitest";
import { createConformanceHooks } from "../../../src/conformance/hooks.js";
import type { RestCheckResult } from "../../../src/conformance/rest.js";
import type { WebhookCheckResult } from "../../../src/conformance/webhooks.js";
import { release } from "./bodies.js";

describe("createConformanceHooks (the forge's debug mode)", () => {
  const rest: RestCheckResult[] = [];
  const hooks: WebhookCheckResult[] = [];
  const { onResponse, onWebhook } = createConformanceHooks({
    onRestResult: (_r, result) => rest.push(result),
    onWebhookResult: (_e, _a, result) => hooks.push(result),
  });

  it("returns nothing for a conforming response and the violation otherwise, reporting both", () => {
    expect(
      onResponse({
        method: "GET",
        path: "/api/v3/repos/o/r/releases/1",
        status: 200,
        body: release(),
      }),
    ).toBeUndefined();
    expect(
      onResponse({ method: "GET", path: "/api/v3/repos/o/r/releases/1", status: 200, body: {} }),
    ).toMatch(/^repos\/get-release 200: \(body\) must have required property/);
    expect(rest.map((r) => r.operationId)).toEqual(["repos/get-release", "repos/get-release"]);
  });

  it("holds undocumented error statuses to GitHub's generic error body by default", () => {
    expect(
      onResponse({
        method: "POST",
        path: "/repos/o/r/check-runs",
        status: 404,
        body: { message: "Not Found" },
      }),
    ).toBeUndefined();
    expect(
      onResponse({ method: "POST", path: "/repos/o/r/check-runs", status: 404, body: "Not Found" }),
    ).toMatch(/checks\/create 404 \(checked as GitHub's generic error\): \(body\) must be object/);
  });

  it("checks webhook payloads", () => {
    expect(onWebhook("push", undefined, { ref: "refs/heads/main" })).toMatch(
      /^webhook push: \(body\) must have required property/,
    );
    expect(hooks).toEqual([expect.objectContaining({ schemaKey: "push" })]);
  });
});
