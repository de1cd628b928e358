import { describe, expect, it } from "vitest";
import { evaluateGate, type GateInput, type Review } from "../../src/gate.js";
import { combineGates } from "../../src/gate-head.js";

const HEAD = "a".repeat(40);
const OLD = "b".repeat(40);

function gate(reviews: Review[], over: Partial<GateInput> = {}) {
  return evaluateGate({
    pull: 7,
    base: "main",
    baseChangedAt: null,
    reviews,
    headSha: HEAD,
    author: "alice",
    committers: ["alice"],
    pushers: ["alice"],
    commitsCapped: false,
    reviewers: new Set(["bob", "carol", "alice"]),
    required: 1,
    ...over,
  });
}
const r = (
  login: string,
  state: string,
  commitId: string | null = HEAD,
  submittedAt: string | null = "2026-01-02T00:00:00Z",
): Review => ({ login, state, commitId, submittedAt });

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
      { login: "alice", why: "authored, committed or pushed to this pull request" },
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

  it("a dismissed review withdraws its author's decision; it does not revive an older approval", () => {
    const v = gate([r("bob", "APPROVED"), r("bob", "DISMISSED")]);
    expect(v.ok).toBe(false);
    expect(v.ignored).toEqual([{ login: "bob", why: "their latest review was dismissed" }]);
    // After a dismissal a new approval counts again.
    expect(gate([r("bob", "DISMISSED"), r("bob", "APPROVED")]).ok).toBe(true);
  });

  it("someone who pushed to the pull request never counts, whatever the commits say", () => {
    const v = gate([r("bob", "APPROVED")], { pushers: ["alice", "Bob"] });
    expect(v.ok).toBe(false);
    expect(v.ignored[0]?.why).toBe("authored, committed or pushed to this pull request");
  });

  it("an approval given before the base last changed does not count", () => {
    const changed = "2026-01-03T00:00:00Z";
    const before = gate([r("bob", "APPROVED")], { baseChangedAt: changed });
    expect(before.ok).toBe(false);
    expect(before.ignored[0]?.why).toContain("before the base changed to main");
    // The same second is not after: GitHub's times have one-second resolution.
    expect(gate([r("bob", "APPROVED", HEAD, changed)], { baseChangedAt: changed }).ok).toBe(false);
    expect(
      gate([r("bob", "APPROVED", HEAD, "2026-01-03T00:00:01Z")], { baseChangedAt: changed }).ok,
    ).toBe(true);
    expect(gate([r("bob", "APPROVED", HEAD, null)], { baseChangedAt: changed }).ok).toBe(false);
  });

  it("refuses a pull request whose commit list reached GitHub's 250 cap", () => {
    const v = gate([r("bob", "APPROVED")], { commitsCapped: true });
    expect(v.ok).toBe(false);
    expect(v.summary).toContain("Squash the pull request or split it");
  });

  it("names the pull request and base it was computed for", () => {
    expect(gate([r("bob", "APPROVED")]).summary).toMatch(/^#7 into main: 1 of 1/);
  });
});

describe("safety review of a head shared by several pull requests", () => {
  const approved = gate([r("bob", "APPROVED")]);
  const waiting = gate([], { pull: 9, base: "staging" });

  it("passes only when every pull request with the head passes, naming the blocking one", () => {
    const v = combineGates(HEAD, [approved, waiting]);
    expect(v.ok).toBe(false);
    expect(v.blocked).toEqual([9]);
    expect(v.summary).toContain("Blocked by #9");
    expect(v.text).toContain("#### #7 into main: approved");
    expect(v.text).toContain("#### #9 into staging: not approved");
    expect(combineGates(HEAD, [approved, { ...approved, pull: 9 }]).ok).toBe(true);
  });

  it("a head with no open pull request does not pass", () => {
    expect(combineGates(HEAD, []).ok).toBe(false);
  });
});
