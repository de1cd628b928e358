/**
 * The protected-branch merge rule, pure: required checks must have
 * concluded success on the head, and enough reviewers with write access
 * must currently approve (their latest approving-or-rejecting review). An
 * administrator may bypass unless enforce_admins is on, as on GitHub.
 */
import type { ProtectionRow } from "../model/rows.js";
import type { ReviewRow } from "./rows.js";

export interface GateInput {
  protection: ProtectionRow | undefined;
  checksState: "success" | "pending" | "failure";
  reviews: readonly ReviewRow[];
  headSha: string;
  hasWriteAccess: (userId: number) => boolean;
  mergerIsAdmin: boolean;
}

/** Reviewers whose latest deciding review approves (stale ones dropped when the rule says so). */
export function approvingReviewers(
  reviews: readonly ReviewRow[],
  headSha: string,
  dismissStale: boolean,
): number[] {
  const latest = new Map<number, ReviewRow>();
  for (const r of reviews) {
    if (r.state === "COMMENTED" || r.state === "PENDING") continue;
    latest.set(r.userId, r);
  }
  return [...latest.values()]
    .filter((r) => r.state === "APPROVED" && (!dismissStale || r.commit_id === headSha))
    .map((r) => r.userId);
}

/** GitHub's 405 message when the merge must be refused, undefined when it may go ahead. */
export function mergeRefusal(g: GateInput): string | undefined {
  const p = g.protection;
  if (!p || (g.mergerIsAdmin && !p.enforce_admins)) return undefined;
  const checks = p.required_status_checks?.checks ?? [];
  if (checks.length > 0 && g.checksState !== "success") {
    const names = checks.map((c) => `"${c.context}"`).join(", ");
    return g.checksState === "failure"
      ? `Required status check ${names} is failing.`
      : `Required status check ${names} is expected.`;
  }
  const rule = p.required_pull_request_reviews;
  if (rule) {
    const approvers = approvingReviewers(g.reviews, g.headSha, rule.dismiss_stale_reviews).filter(
      g.hasWriteAccess,
    );
    const needed = rule.required_approving_review_count;
    if (needed > 0 && approvers.length < needed) {
      return `At least ${needed} approving review${needed === 1 ? " is" : "s are"} required by reviewers with write access.`;
    }
  }
  return undefined;
}
