import { describe, expect, it } from "vitest";
import { untrustedReason, type RunFacts } from "../../src/provenance.js";

const rules = { defaultBranch: "main", workflowPath: ".github/workflows/build.yml" };
const good: RunFacts = {
  id: 7,
  event: "push",
  headBranch: "main",
  headSha: "c".repeat(40),
  path: ".github/workflows/build.yml",
  conclusion: "success",
  compareStatus: "identical",
};

describe("trusted-build rule", () => {
  it("accepts a successful push run of the build workflow on the default branch", () => {
    expect(untrustedReason(good, rules)).toBeUndefined();
    expect(untrustedReason({ ...good, compareStatus: "behind" }, rules)).toBeUndefined();
    // A manual run on the default branch builds the tip: the remedy RUN_SUPERSEDED names.
    expect(untrustedReason({ ...good, event: "workflow_dispatch" }, rules)).toBeUndefined();
    expect(
      untrustedReason({ ...good, path: ".github/workflows/build.yml@refs/heads/main" }, rules),
    ).toBeUndefined();
  });

  it.each([
    ["a pull_request run", { event: "pull_request" }, "pull_request run"],
    ["a schedule run", { event: "schedule" }, "only push and workflow_dispatch runs"],
    ["a pull_request_target run", { event: "pull_request_target" }, "only push and"],
    ["another branch", { headBranch: "feature" }, "not the default branch"],
    ["another workflow", { path: ".github/workflows/evil.yml" }, "not .github/workflows/build.yml"],
    ["a commit not on the default branch", { compareStatus: "diverged" }, "is not on main"],
    ["a commit ahead of the default branch", { compareStatus: "ahead" }, "is not on main"],
    ["a failed run", { conclusion: "failure" }, "concluded failure"],
  ])("refuses %s", (_name, over, message) => {
    expect(untrustedReason({ ...good, ...over }, rules)).toContain(message);
  });
});
