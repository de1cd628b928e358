import { describe, expect, it } from "vitest";
import { buildSource } from "../../../../src/builder/build/build-source.js";
import { isLpctlError } from "../../../../src/core/errors.js";

const ACTIONS = {
  GITHUB_REPOSITORY: "o/r",
  GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
  GITHUB_REF: "refs/heads/main",
  GITHUB_EVENT_NAME: "push",
  GITHUB_RUN_ID: "123456",
};

describe("buildSource", () => {
  it("takes the runner's GITHUB_* variables", () => {
    expect(buildSource(ACTIONS, {})).toEqual({
      repository: "o/r",
      commit: ACTIONS.GITHUB_SHA,
      ref: "refs/heads/main",
      event: "push",
      workflowRun: "123456",
    });
  });

  it("is undefined for a local build, and flags override the environment", () => {
    expect(buildSource({}, {})).toBeUndefined();
    expect(buildSource(ACTIONS, { event: "workflow_dispatch" })?.event).toBe("workflow_dispatch");
  });

  it("refuses an incomplete or malformed source, naming the flag", () => {
    let partial: unknown;
    try {
      buildSource({ GITHUB_SHA: ACTIONS.GITHUB_SHA }, {});
    } catch (e) {
      partial = e;
    }
    expect(isLpctlError(partial, "USAGE") && partial.message).toMatch(/--source-repository/);
    expect(() => buildSource({ ...ACTIONS, GITHUB_SHA: "abc" }, {})).toThrow(/--source-commit/);
  });
});
