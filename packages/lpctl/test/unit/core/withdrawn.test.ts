import { describe, expect, it } from "vitest";
import { nextManifest } from "../../../src/core/manifest-build.js";
import type { PlanTree } from "../../../src/core/plan-tree.js";
import { LEFT_REASON, withdrawnTargets } from "../../../src/core/withdrawn.js";
import { PATCHES, fakeReport } from "@livepatch-gitops/test-support/report-fixture";

const P1 = PATCHES.p1;
const now = new Date("2026-11-21T12:00:00.250Z");
const base = { patches: PATCHES, repository: "example/lp", now };

/** A head tree: target ids, active patches → targets, withdrawn reasons. */
const head = (
  targets: string[],
  patches: Record<string, string[]>,
  withdrawn: Record<string, string> = {},
): PlanTree => ({
  targets,
  patches: new Map(Object.entries(patches)),
  withdrawn: new Map(Object.entries(withdrawn)),
});

const v1 = nextManifest({ ...base, reports: [fakeReport("a", ["p1", "p2"]), fakeReport("b")] });

describe("withdrawing patches in the next manifest", () => {
  it("a rebuilt module names the patch that left, with the patch.yaml reason and the version", () => {
    const v2 = nextManifest({
      ...base,
      previous: v1,
      reports: [fakeReport("a", ["p2"])],
      head: head(["a", "b"], { p1: [], p2: ["a"] }, { p1: "oopses" }),
    });
    const a = v2.kernels.find((k) => k.target === "a");
    expect(a?.module).toBeDefined();
    expect(a?.withdrawn).toEqual([
      { id: "p1", title: P1.title, cves: P1.cves, reason: "oopses", version: 2 },
    ]);
    // b had only p1: it is not rebuilt, and its entry loses the module.
    const b = v2.kernels.find((k) => k.target === "b");
    expect(b?.module).toBeUndefined();
    expect(b?.withdrawn?.map((w) => w.reason)).toEqual(["oopses"]);
  });

  it("a target left without an active patch keeps an entry without a module", () => {
    const v2 = nextManifest({
      ...base,
      previous: v1,
      reports: [fakeReport("a", ["p1", "p2"])],
      // b would be carried with its module: the rule replaces it.
      carried: v1.kernels.filter((k) => k.target === "b"),
      head: head(["a", "b"], { p1: ["a"], p2: ["a"] }),
    });
    const b = v2.kernels.find((k) => k.target === "b");
    expect(b).toEqual({
      target: "b",
      release: "6.1.0-b",
      arch: "x86_64",
      buildId: v1.kernels[1]?.buildId,
      patches: [],
      withdrawn: [{ id: "p1", title: P1.title, cves: P1.cves, reason: LEFT_REASON, version: 2 }],
    });
    expect(v2.kernels.find((k) => k.target === "a")?.withdrawn).toBeUndefined();
  });

  it("what left stays listed, at its version, until the patch comes back", () => {
    const h = head(["a", "b"], { p1: [], p2: ["a"] }, { p1: "oopses" });
    const v2 = nextManifest({ ...base, previous: v1, reports: [fakeReport("a", ["p2"])], head: h });
    const v3 = nextManifest({ ...base, previous: v2, reports: [fakeReport("a", ["p2"])], head: h });
    expect(v3.kernels[0]?.withdrawn?.map((w) => `${w.id}@${w.version}`)).toEqual(["p1@2"]);
    const back = nextManifest({
      ...base,
      previous: v3,
      reports: [fakeReport("a", ["p1", "p2"])],
      head: head(["a"], { p1: ["a"], p2: ["a"] }),
    });
    expect(back.kernels[0]?.withdrawn).toBeUndefined();
  });

  it("an emptied entry stays emptied, at its first version, while nothing targets it", () => {
    const h = head(["a", "b"], { p1: ["a"], p2: ["a"] }, {});
    const v2 = nextManifest({
      ...base,
      previous: v1,
      reports: [fakeReport("a", ["p1", "p2"])],
      head: h,
    });
    expect(withdrawnTargets(v1, h)).toEqual(["b"]);
    expect(withdrawnTargets(v2, h)).toEqual([]);
    const v3 = nextManifest({
      ...base,
      previous: v2,
      reports: [fakeReport("a", ["p1", "p2"])],
      carried: v2.kernels.filter((k) => k.target === "b"),
      head: h,
    });
    expect(v3.kernels.find((k) => k.target === "b")).toEqual(
      v2.kernels.find((k) => k.target === "b"),
    );
  });
});
