import { describe, expect, it } from "vitest";
import { workKey } from "../../src/work-key.js";

const repository = { full_name: "acme/lp" };
const run = (numbers: number[]) => ({
  id: "d1",
  payload: { repository, workflow_run: { pull_requests: numbers.map((number) => ({ number })) } },
});

describe("workKey", () => {
  it("puts a pull request's events and its build run's workflow_run in one queue", () => {
    const pr = workKey({ id: "d0", payload: { repository, pull_request: { number: 7 } } });
    expect(pr).toBe("acme/lp#7");
    expect(workKey(run([7]))).toBe(pr);
  });

  it("gives a run that lists no pull request (a fork's) or several its own queue", () => {
    expect(workKey(run([]))).toBe("delivery:d1");
    expect(workKey(run([7, 8]))).toBe("delivery:d1");
    expect(workKey({ id: "d2", payload: { repository, action: "lpctl-refresh" } })).toBe(
      "delivery:d2",
    );
  });
});
