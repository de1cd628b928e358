import { describe, expect, it } from "vitest";
import { approvingReviewers, mergeRefusal, type GateInput } from "../../src/pulls/merge-gate.js";
import type { ProtectionRow } from "../../src/model/rows.js";
import type { ReviewRow } from "../../src/pulls/rows.js";

const review = (userId: number, state: ReviewRow["state"], commit_id = "head"): ReviewRow => ({
  id: 0,
  repoId: 1,
  pullNumber: 1,
  userId,
  body: "",
  state,
  commit_id,
  submitted_at: "2026-01-01T00:00:00Z",
});

const protection = (p: Partial<ProtectionRow>): ProtectionRow => ({
  id: 1,
  repoId: 1,
  branch: "main",
  required_status_checks: null,
  enforce_admins: true,
  required_pull_request_reviews: null,
  ...p,
});

const gate = (g: Partial<GateInput>): GateInput => ({
  protection: undefined,
  checksState: "success",
  reviews: [],
  headSha: "head",
  hasWriteAccess: () => true,
  mergerIsAdmin: false,
  ...g,
});

describe("approvingReviewers", () => {
  it("counts each reviewer's latest deciding review; comments do not undo an approval", () => {
    expect(
      approvingReviewers([review(1, "APPROVED"), review(1, "COMMENTED")], "head", false),
    ).toEqual([1]);
    expect(
      approvingReviewers([review(1, "APPROVED"), review(1, "CHANGES_REQUESTED")], "head", false),
    ).toEqual([]);
    expect(
      approvingReviewers([review(1, "APPROVED"), review(1, "DISMISSED")], "head", false),
    ).toEqual([]);
  });

  it("drops approvals of an older commit when stale reviews are dismissed", () => {
    expect(approvingReviewers([review(1, "APPROVED", "old")], "head", true)).toEqual([]);
    expect(approvingReviewers([review(1, "APPROVED", "old")], "head", false)).toEqual([1]);
  });
});

describe("mergeRefusal", () => {
  const checks = protection({
    required_status_checks: { strict: false, checks: [{ context: "build", app_id: 7 }] },
  });
  const reviews = protection({
    required_pull_request_reviews: {
      required_approving_review_count: 2,
      dismiss_stale_reviews: true,
      require_code_owner_reviews: false,
    },
  });

  it("lets an unprotected branch merge", () => {
    expect(mergeRefusal(gate({ checksState: "failure" }))).toBeUndefined();
  });

  it("names the required check that is missing or failing", () => {
    expect(mergeRefusal(gate({ protection: checks, checksState: "pending" }))).toBe(
      'Required status check "build" is expected.',
    );
    expect(mergeRefusal(gate({ protection: checks, checksState: "failure" }))).toBe(
      'Required status check "build" is failing.',
    );
    expect(mergeRefusal(gate({ protection: checks }))).toBeUndefined();
  });

  it("needs enough current approvals from writers", () => {
    const two = [review(1, "APPROVED"), review(2, "APPROVED")];
    expect(mergeRefusal(gate({ protection: reviews, reviews: two.slice(0, 1) }))).toMatch(
      /At least 2 approving reviews/,
    );
    expect(
      mergeRefusal(gate({ protection: reviews, reviews: two, hasWriteAccess: (id) => id === 1 })),
    ).toMatch(/At least 2/);
    expect(mergeRefusal(gate({ protection: reviews, reviews: two }))).toBeUndefined();
  });

  it("lets an admin bypass unless enforce_admins is on", () => {
    const lax = protection({ ...checks, enforce_admins: false });
    expect(
      mergeRefusal(gate({ protection: lax, checksState: "pending", mergerIsAdmin: true })),
    ).toBeUndefined();
    expect(
      mergeRefusal(gate({ protection: checks, checksState: "pending", mergerIsAdmin: true })),
    ).toBeDefined();
  });
});
