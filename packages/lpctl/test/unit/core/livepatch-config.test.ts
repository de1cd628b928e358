import { describe, expect, it } from "vitest";
import { parseAppConfig } from "../../../src/core/livepatch-config.js";
import { isLpctlError } from "../../../src/core/errors.js";

describe(".github/livepatch.yml", () => {
  it("defaults: 1 approval, 24 h lifetime, 12 h margin, build.yml", () => {
    const c = parseAppConfig(undefined);
    expect(c).toEqual({
      reviewers: { users: [], teams: [] },
      requiredApprovals: 1,
      manifest: { lifetimeHours: 24, refreshMarginHours: 12 },
      buildWorkflow: ".github/workflows/build.yml",
    });
  });

  it("reads the optional patch style the lint asks for", () => {
    expect(parseAppConfig("patchStyle: quilt\n").patchStyle).toBe("quilt");
    expect(parseAppConfig("requiredApprovals: 1\n").patchStyle).toBeUndefined();
  });

  it("reads users and teams", () => {
    const c = parseAppConfig(
      "reviewers:\n  users: [bob]\n  teams: [acme/kernel]\nrequiredApprovals: 2\n",
    );
    expect(c.reviewers).toEqual({ users: ["bob"], teams: ["acme/kernel"] });
    expect(c.requiredApprovals).toBe(2);
  });

  it.each([
    ["unknown key", "reviewer: [bob]\n", "reviewer"],
    ["zero approvals", "requiredApprovals: 0\n", "requiredApprovals"],
    ["a workflow outside .github/workflows", "buildWorkflow: build.yml\n", "buildWorkflow"],
    [
      "a margin as long as the lifetime",
      "manifest:\n  lifetimeHours: 12\n  refreshMarginHours: 12\n",
      "refreshMarginHours",
    ],
    ["broken YAML", "reviewers: [\n", "livepatch.yml"],
    ["an unknown patch style", "patchStyle: svn\n", "patchStyle"],
  ])("refuses %s with the field", (_n, text, field) => {
    try {
      parseAppConfig(text);
      expect.unreachable();
    } catch (e) {
      expect(isLpctlError(e, "APP_CONFIG_INVALID")).toBe(true);
      expect((e as Error).message).toContain(field);
    }
  });
});
