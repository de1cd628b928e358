import { describe, expect, it } from "vitest";
import { evaluateGate, type GateInput, type Review } from "../../../src/app/gate.js";

const HEAD = "a".repeat(40);
const OLD = "b".repeat(40);

function gate(reviews: Review[], over: Partial<GateInput> = {}) {
  return evaluateGate({
    reviews,
    headSha: HEAD,
    author: "alice",
    committers: ["alice"],
    reviewers: new Set(["bob", "carol", "alice"]),
    required: 1,
    ...over,
  });
}
const r = (login: string, state: string, commitId: string | null = HEAD): Review => ({
  login,
  state,
  commitId,
});

describe("safety review gate", () => {
  it("a configured reviewer's approval of the head commit passes", () => {
    const v = gate([r("bob", "APPROVED")]);
    expect(v.ok).toBe(true);
    expect(v.approvals).toEqual(["bob"]);
  });

  it("the author's own approval never counts, even as a configured reviewer", () => {
    const v = gate([r("alice", "APPROVED")]);
    expect(v.ok).toBe(false);
    expect(v.ignored).toEqual([
      { login: "alice", why: "authored or committed to this pull request" },
    ]);
  });

  it("a committer's approval never counts", () => {
    expect(gate([r("carol", "APPROVED")], { committers: ["alice", "carol"] }).ok).toBe(false);
  });

  it("an approval of an older commit is stale", () => {
    const v = gate([r("bob", "APPROVED", OLD)]);
    expect(v.ok).toBe(false);
    expect(v.ignored[0]?.why).toContain("not the head");
  });

  it("a garbage-collected commit (null) does not count", () => {
    expect(gate([r("bob", "APPROVED", null)]).ok).toBe(false);
  });

  it("a latest CHANGES_REQUESTED blocks despite other approvals", () => {
    const v = gate([r("bob", "APPROVED"), r("carol", "APPROVED"), r("carol", "CHANGES_REQUESTED")]);
    expect(v.ok).toBe(false);
    expect(v.blocking).toEqual(["carol"]);
  });

  it("the latest decisive review wins; comments do not change it", () => {
    expect(
      gate([r("bob", "CHANGES_REQUESTED"), r("bob", "APPROVED"), r("bob", "COMMENTED")]).ok,
    ).toBe(true);
  });

  it("a dismissed review is as if never given", () => {
    expect(gate([r("bob", "APPROVED"), r("carol", "DISMISSED")]).ok).toBe(true);
  });

  it("someone who is not a configured reviewer does not count", () => {
    const v = gate([r("mallory", "APPROVED")]);
    expect(v.ok).toBe(false);
    expect(v.ignored[0]).toEqual({ login: "mallory", why: "not a configured reviewer" });
  });

  it("counts distinct reviewers up to the required number", () => {
    expect(gate([r("bob", "APPROVED"), r("bob", "APPROVED")], { required: 2 }).ok).toBe(false);
    expect(gate([r("bob", "APPROVED"), r("carol", "APPROVED")], { required: 2 }).ok).toBe(true);
  });

  it("logins compare case-insensitively, as GitHub's do", () => {
    expect(gate([r("Bob", "APPROVED")]).ok).toBe(true);
    expect(gate([r("ALICE", "APPROVED")]).ok).toBe(false);
  });
});
