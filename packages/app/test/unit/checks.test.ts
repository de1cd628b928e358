import { describe, expect, it } from "vitest";
import {
  annotationBatches,
  buildCheckOutput,
  clip,
  MAX_ANNOTATIONS_PER_REQUEST,
} from "../../src/checks.js";
import type { BuildReport } from "@livepatch-gitops/lpctl/core/build-report";

describe("check payloads", () => {
  it("batches annotations 50 per request, in order", () => {
    const items = Array.from({ length: 123 }, (_, i) => i);
    const batches = annotationBatches(items);
    expect(MAX_ANNOTATIONS_PER_REQUEST).toBe(50);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 23]);
    expect(batches.flat()).toEqual(items);
    expect(annotationBatches([])).toEqual([]);
  });

  it("clips text to GitHub's limit and says so", () => {
    const long = "x".repeat(70_000);
    const c = clip(long);
    expect(c.length).toBe(65_535);
    expect(c).toContain("cut");
    expect(clip("short")).toBe("short");
  });

  const report = (over: Partial<BuildReport>): BuildReport => ({
    schema: 1,
    target: "lab",
    release: "6.1.0-lab",
    arch: "x86_64",
    buildId: "ab",
    result: "success",
    patches: [],
    changes: [{ object: "fs/proc/cmdline.o", kind: "changed", function: "cmdline_proc_show" }],
    patchedObjects: [],
    warnings: ["w1"],
    toolchain: { compiler: "gcc", kpatchBuild: "0.9", mismatchAllowed: false },
    timings: { "kpatch-build": 12.3 },
    startedAt: "2026-01-01T00:00:00Z",
    finishedAt: "2026-01-01T00:01:00Z",
    ...over,
  });

  it("a successful build lists changed functions per object, warnings and timings", () => {
    const { conclusion, output } = buildCheckOutput(report({}));
    expect(conclusion).toBe("success");
    expect(output.text).toContain("`fs/proc/cmdline.o`: `cmdline_proc_show`");
    expect(output.text).toContain("w1");
    expect(output.text).toContain("`kpatch-build`: 12.3 s");
  });

  it("a failed build shows the error and the log tail", () => {
    const { conclusion, output } = buildCheckOutput(
      report({
        result: "failure",
        changes: [],
        error: { code: "KPATCH_BUILD_FAILED", message: "boom", logTail: ["line a", "line b"] },
      }),
    );
    expect(conclusion).toBe("failure");
    expect(output.title).toContain("KPATCH_BUILD_FAILED");
    expect(output.text).toContain("line b");
  });
});
