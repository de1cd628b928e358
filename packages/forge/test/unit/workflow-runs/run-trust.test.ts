import { describe, expect, it } from "vitest";
import { isTrustedRun } from "../../../src/workflow-runs/run-trust.js";

describe("isTrustedRun", () => {
  it("trusts a push or dispatch on the default branch only", () => {
    expect(isTrustedRun("push", "refs/heads/main", "main")).toBe(true);
    expect(isTrustedRun("workflow_dispatch", "refs/heads/main", "main")).toBe(true);
    expect(isTrustedRun("repository_dispatch", "refs/heads/main", "main")).toBe(true);
  });

  it("does not trust a pull request, even one whose ref names the default branch", () => {
    expect(isTrustedRun("pull_request", "refs/pull/1/merge", "main")).toBe(false);
    expect(isTrustedRun("pull_request", "refs/heads/main", "main")).toBe(false);
  });

  it("does not trust a push to another branch, or a tag named like the default branch", () => {
    expect(isTrustedRun("push", "refs/heads/feature", "main")).toBe(false);
    expect(isTrustedRun("push", "refs/tags/main", "main")).toBe(false);
    expect(isTrustedRun("workflow_dispatch", "refs/heads/main-2", "main")).toBe(false);
  });
});
