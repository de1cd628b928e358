import { describe, expect, it } from "vitest";
import {
  chunkTargets,
  planBuild,
  MAX_MATRIX_JOBS,
  unpatchedTargets,
} from "../../../src/core/plan.js";
import { planTree, type PlanTree } from "../../../src/core/plan-tree.js";

/** A tree with `targets` and patches given as id → kernels entries (resolved like patch.yaml). */
function tree(targets: string[], patches: Record<string, string[]>): PlanTree {
  const paths = [
    ...targets.map((t) => `kernels/${t}/target.yaml`),
    ...Object.keys(patches).flatMap((p) => [
      `patches/${p}/patch.yaml`,
      `patches/${p}/0001-fix.patch`,
    ]),
  ];
  const yaml = new Map(
    Object.entries(patches).map(([id, ks]) => [
      id,
      `title: t\ndescription: d\nkernels: [${ks.join(", ")}]\n`,
    ]),
  );
  return planTree(paths, yaml);
}

const base = tree(["a", "b", "c"], { p1: ["a"], p2: ["b", "c"], p3: ["c"] });

describe("planBuild", () => {
  it.each([
    {
      name: "changed patch → its targets",
      changed: ["patches/p2/0001-fix.patch"],
      head: base,
      want: ["b", "c"],
    },
    {
      name: "changed target → that target",
      changed: ["kernels/a/config"],
      head: base,
      want: ["a"],
    },
    {
      name: "deleted patch → its former targets",
      changed: ["patches/p3/patch.yaml", "patches/p3/0001-fix.patch"],
      head: tree(["a", "b", "c"], { p1: ["a"], p2: ["b", "c"] }),
      want: ["c"],
    },
    {
      name: "patch dropping a target → both old and new targets",
      changed: ["patches/p2/patch.yaml"],
      head: tree(["a", "b", "c"], { p1: ["a"], p2: ["b"], p3: ["c"] }),
      want: ["b", "c"],
    },
    {
      name: "unrelated change → nothing",
      changed: ["README.md", "docs/x.md"],
      head: base,
      want: [],
    },
    {
      name: "new target matched by an untouched glob → built",
      changed: ["kernels/d-1/target.yaml"],
      head: tree(["a", "b", "c", "d-1"], { p1: ["a"], p2: ["b", "c"], p3: ["c"], p4: ["d-*"] }),
      want: ["d-1"],
    },
    {
      name: "deleted target → not built, listed as removed",
      changed: ["kernels/c/target.yaml"],
      head: tree(["a", "b"], { p1: ["a"], p2: ["b"] }),
      want: [],
    },
  ])("$name", ({ changed, head, want }) => {
    expect(planBuild({ changed, base, head }).targets).toEqual(want);
  });

  it("gives reasons per target, naming the patch and what happened", () => {
    const head = tree(["a", "b", "c"], { p1: ["a"], p2: ["b", "c"] });
    const plan = planBuild({ changed: ["patches/p3/patch.yaml", "kernels/a/config"], base, head });
    expect(plan.reasons).toEqual({
      a: ["target changed: rebuilds every patch on it"],
      c: ["patch p3 deleted: its module shrinks"],
    });
    expect(plan.patches).toEqual(["p3"]);
  });

  it("a withdrawn patch targets nothing: its targets shrink, one left without a patch is not built", () => {
    const paths = [
      ...["a", "b", "c"].map((t) => `kernels/${t}/target.yaml`),
      ...["p1", "p2", "p3"].flatMap((p) => [`patches/${p}/patch.yaml`, `patches/${p}/0001.patch`]),
    ];
    const yaml = new Map([
      ["p1", "title: t\ndescription: d\nkernels: [a]\n"],
      ["p2", "title: t\ndescription: d\nkernels: [b, c]\n"],
      ["p3", "title: t\ndescription: d\nkernels: [c]\nwithdrawn: {reason: oops}\n"],
    ]);
    const head = planTree(paths, yaml);
    expect(head.patches.get("p3")).toEqual([]);
    const plan = planBuild({ changed: ["patches/p3/patch.yaml"], base, head });
    expect(plan.targets).toEqual(["c"]);
    expect(plan.emptied).toEqual([]);
    // Withdrawing p1 leaves a with nothing: no build, an entry without a module.
    yaml.set("p1", "title: t\ndescription: d\nkernels: [a]\nwithdrawn: {reason: bad}\n");
    const emptied = planBuild({
      changed: ["patches/p1/patch.yaml"],
      base,
      head: planTree(paths, yaml),
    });
    expect(emptied.targets).toEqual([]);
    expect(emptied.emptied).toEqual(["a"]);
    expect(unpatchedTargets(planTree(paths, yaml))).toEqual(["a"]);
  });

  it("records removed targets", () => {
    const head = tree(["a", "b"], { p1: ["a"], p2: ["b"] });
    expect(planBuild({ changed: ["kernels/c/target.yaml"], base, head }).removedTargets).toEqual([
      "c",
    ]);
  });

  it("without a base plans every target", () => {
    expect(planBuild({ changed: [], head: base }).targets).toEqual(["a", "b", "c"]);
  });

  it("splits into matrices of at most 256 targets", () => {
    const ids = Array.from({ length: 600 }, (_, i) => `t${String(i).padStart(3, "0")}`);
    const plan = planBuild({ changed: [], head: tree(ids, { p: ["t*"] }) });
    expect(plan.chunks.map((c) => c.length)).toEqual([256, 256, 88]);
    expect(plan.chunks.flat()).toEqual(plan.targets);
    expect(MAX_MATRIX_JOBS).toBe(256);
  });

  it("exactly 256 targets are one matrix; 257 are two", () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
    expect(chunkTargets(ids(256), 256)).toHaveLength(1);
    expect(chunkTargets(ids(257), 256).map((c) => c.length)).toEqual([256, 1]);
    expect(chunkTargets([], 256)).toEqual([]);
  });
});

describe("planTree", () => {
  it("ignores malformed patch.yaml (validate reports it) and invalid ids", () => {
    const t = planTree(
      ["kernels/a/target.yaml", "kernels/Bad/target.yaml", "patches/p/patch.yaml"],
      new Map([["p", "kernels: [[[\n"]]),
    );
    expect(t.targets).toEqual(["a"]);
    expect(t.patches.get("p")).toEqual([]);
  });
});
