/**
 * The safety review rule: approval is bound to a commit, not to a time. A
 * reviewer counts when their latest decisive review APPROVED the PR's current
 * head commit; the author and anyone who committed to the PR never count; a
 * configured reviewer's latest CHANGES_REQUESTED blocks. Pure.
 */

export interface Review {
  login: string;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING. */
  state: string;
  /** The commit the review was made on; null when GitHub garbage-collected it. */
  commitId: string | null;
}

export interface GateInput {
  /** In chronological order, as GitHub lists them. */
  reviews: readonly Review[];
  headSha: string;
  author: string;
  /** Logins that authored or committed a commit of the PR. */
  committers: readonly string[];
  /** Review authors who are configured reviewers (users, or active team members). */
  reviewers: ReadonlySet<string>;
  required: number;
}

export interface GateVerdict {
  ok: boolean;
  approvals: string[];
  blocking: string[];
  /** Reviews that did not count, and why. */
  ignored: { login: string; why: string }[];
  summary: string;
}

/** COMMENTED does not change a decision; a dismissed review is as if never given. */
const DECISIVE = new Set(["APPROVED", "CHANGES_REQUESTED"]);

/** The gate's verdict for the PR at `headSha`. */
export function evaluateGate(input: GateInput): GateVerdict {
  const latest = new Map<string, Review>();
  for (const r of input.reviews) if (DECISIVE.has(r.state)) latest.set(r.login.toLowerCase(), r);
  const excluded = new Set([input.author, ...input.committers].map((l) => l.toLowerCase()));
  const reviewers = new Set([...input.reviewers].map((l) => l.toLowerCase()));
  const approvals: string[] = [];
  const blocking: string[] = [];
  const ignored: GateVerdict["ignored"] = [];
  for (const [key, r] of latest) {
    if (!reviewers.has(key)) {
      ignored.push({ login: r.login, why: "not a configured reviewer" });
      continue;
    }
    if (r.state === "CHANGES_REQUESTED") {
      blocking.push(r.login);
      continue;
    }
    if (excluded.has(key)) {
      ignored.push({ login: r.login, why: "authored or committed to this pull request" });
      continue;
    }
    if (r.commitId !== input.headSha) {
      ignored.push({
        login: r.login,
        why: `approved ${short(r.commitId)}, not the head ${short(input.headSha)}`,
      });
      continue;
    }
    approvals.push(r.login);
  }
  const ok = blocking.length === 0 && approvals.length >= input.required;
  const summary = blocking.length
    ? `changes requested by ${blocking.join(", ")}`
    : `${approvals.length} of ${input.required} required approval(s) of ${short(input.headSha)}${approvals.length ? ` (${approvals.join(", ")})` : ""}`;
  return { ok, approvals: approvals.sort(), blocking: blocking.sort(), ignored, summary };
}

function short(sha: string | null): string {
  return sha === null ? "a commit that no longer exists" : sha.slice(0, 7);
}
