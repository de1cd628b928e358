import { describe, expect, it } from "vitest";
import {
  combinedState,
  latestPerContext,
  requiredChecksGate,
  suiteState,
} from "../../src/checks/check-state.js";
import { readCheckInput } from "../../src/checks/check-input.js";
import { Body } from "../../src/http/body.js";
import type { StatusRow } from "../../src/model/check-rows.js";

const status = (id: number, context: string, state: StatusRow["state"]): StatusRow => ({
  id,
  repoId: 1,
  sha: "a",
  state,
  context,
  description: null,
  target_url: null,
  creatorId: 1,
  created_at: "",
  updated_at: "",
});

describe("suiteState", () => {
  it("is in progress until every run completed, then the most telling conclusion wins", () => {
    expect(
      suiteState([
        { status: "completed", conclusion: "success" },
        { status: "queued", conclusion: null },
      ]),
    ).toEqual({ status: "in_progress", conclusion: null });
    expect(suiteState([{ status: "queued", conclusion: null }])).toEqual({
      status: "queued",
      conclusion: null,
    });
    expect(
      suiteState([
        { status: "completed", conclusion: "success" },
        { status: "completed", conclusion: "failure" },
      ]),
    ).toEqual({ status: "completed", conclusion: "failure" });
  });
});

describe("statuses", () => {
  it("combines the latest state per context", () => {
    const rows = [status(1, "a", "failure"), status(2, "a", "success"), status(3, "b", "pending")];
    expect(latestPerContext(rows).map((s) => s.id)).toEqual([3, 2]);
    expect(combinedState(latestPerContext(rows))).toBe("pending");
    expect(combinedState([])).toBe("pending");
    expect(combinedState([status(4, "c", "error")])).toBe("failure");
  });
});

describe("requiredChecksGate", () => {
  const run = (
    id: number,
    name: string,
    appId: number,
    conclusion: "success" | "failure" | null,
  ) => ({
    id,
    name,
    appId,
    status: conclusion === null ? ("in_progress" as const) : ("completed" as const),
    conclusion,
  });
  it("counts a pinned check only from its app, and the newest run of a name", () => {
    const runs = [run(1, "review", 7, "success"), run(2, "review", 9, "failure")];
    expect(requiredChecksGate([{ context: "review", app_id: 7 }], runs, [])).toBe("success");
    expect(requiredChecksGate([{ context: "review" }], runs, [])).toBe("failure");
    expect(requiredChecksGate([{ context: "review", app_id: 8 }], runs, [])).toBe("pending");
  });
  it("falls back to commit statuses for unpinned checks; a missing check is pending", () => {
    expect(requiredChecksGate([{ context: "ci" }], [], [status(1, "ci", "success")])).toBe(
      "success",
    );
    expect(requiredChecksGate([{ context: "ci" }], [], [])).toBe("pending");
    expect(requiredChecksGate([], [], [])).toBe("success");
    expect(requiredChecksGate([{ context: "r" }], [run(1, "r", 1, null)], [])).toBe("pending");
  });
});

describe("readCheckInput", () => {
  it("requires a conclusion for completed runs and caps annotations at 50", () => {
    expect(() =>
      readCheckInput(new Body({ name: "n", head_sha: "s", status: "completed" }), true),
    ).toThrow(/conclusion/);
    const a = { path: "p", start_line: 1, end_line: 1, annotation_level: "notice", message: "m" };
    const out = (n: number) => ({ title: "t", summary: "s", annotations: Array(n).fill(a) });
    expect(readCheckInput(new Body({ output: out(50) }), false).annotations).toHaveLength(50);
    expect(() => readCheckInput(new Body({ output: out(51) }), false)).toThrow(/maximum is 50/);
    expect(() =>
      readCheckInput(new Body({ output: { title: "t", summary: "x".repeat(65536) } }), false),
    ).toThrow(/too long/);
    expect(readCheckInput(new Body({ conclusion: "success" }), false).status).toBe("completed");
  });
});
