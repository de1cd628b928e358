import { describe, expect, it } from "vitest";
import { checkProvenance } from "../../../src/core/provenance.js";
import { checkNamesKeepContent } from "../../../src/core/module-identity.js";
import { nextManifest } from "../../../src/core/manifest-build.js";
import { isLpctlError } from "../../../src/core/errors.js";
import { fakeReport, PATCHES } from "@livepatch-gitops/test-support/report-fixture";

const SHA = "a".repeat(40);
const source = {
  repository: "o/r",
  commit: SHA,
  ref: "refs/heads/main",
  event: "push",
  workflowRun: "7",
};
const report = (target: string, over: Partial<typeof source> = {}) => ({
  ...fakeReport(target),
  source: { ...source, ...over },
});

function codeOf(f: () => unknown): string {
  try {
    f();
    return "ok";
  } catch (e) {
    if (isLpctlError(e)) return e.code;
    throw e;
  }
}

describe("checkProvenance", () => {
  it("returns the one source all reports share when it is the expected build", () => {
    expect(checkProvenance([report("a"), report("b")], { commit: SHA, repository: "o/r" })).toEqual(
      source,
    );
  });

  it.each([
    ["two commits", [report("a"), report("b", { commit: "b".repeat(40) })], {}],
    ["two runs", [report("a"), report("b", { workflowRun: "8" })], {}],
    ["another commit expected", [report("a")], { commit: "c".repeat(40) }],
    ["another repository", [report("a")], { repository: "x/y" }],
    ["another run expected", [report("a")], { workflowRun: "9" }],
    ["a pull request build", [report("a", { event: "pull_request" })], {}],
    ["a pull_request_target build", [report("a", { event: "pull_request_target" })], {}],
  ])("refuses %s", (_name, reports, over) => {
    expect(
      codeOf(() => checkProvenance(reports, { commit: SHA, repository: "o/r", ...over })),
    ).toBe("PROVENANCE_MISMATCH");
  });

  it("refuses a report without a source", () => {
    expect(codeOf(() => checkProvenance([report("a"), fakeReport("b")], { commit: SHA }))).toBe(
      "PROVENANCE_MISSING",
    );
  });
});

describe("module names keep their content", () => {
  const now = new Date("2026-11-21T12:00:00Z");
  const v1 = nextManifest({ reports: [report("a")], patches: PATCHES, repository: "o/r", now });

  it("records the commit each module was built from", () => {
    expect(v1.kernels[0]?.commit).toBe(SHA);
  });

  it("accepts the same bytes under the same name, refuses other bytes", () => {
    expect(codeOf(() => checkNamesKeepContent(v1, v1.kernels))).toBe("ok");
    const rebuilt = { ...fakeReport("a", ["p1"], 8192), source };
    const next = () =>
      nextManifest({ previous: v1, reports: [rebuilt], patches: PATCHES, repository: "o/r", now });
    expect(codeOf(next)).toBe("MODULE_NAME_REUSED");
  });
});
