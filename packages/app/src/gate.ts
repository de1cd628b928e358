/**
 * The safety review rule for one (pull request, base, head) triple. A
 * reviewer counts when their latest decisive review, given on this pull
 * request, APPROVED its current head commit after its base last changed;
 * the author, the accounts that authored or committed its commits and the
 * accounts that pushed to it never count; a configured reviewer's latest
 * CHANGES_REQUESTED blocks; a dismissed review takes its author's decision
 * away (it does not bring back an older one). Pure.
 */

export interface Review {
  login: string;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING. */
  state: string;
  /** The commit the review was made on; null when GitHub garbage-collected it. */
  commitId: string | null;
  /** When it was submitted (ISO 8601); null for a pending review. */
  submittedAt: string | null;
}

export interface GateInput {
  pull: number;
  /** The base branch the PR targets now. */
  base: string;
  /** When the base last changed (GitHub's `base_ref_changed`), or null when it never did. */
  baseChangedAt: string | null;
  /** This PR's reviews, in chronological order, as GitHub lists them. */
  reviews: readonly Review[];
  headSha: string;
  author: string;
  /** Accounts linked to a commit of the PR as author or committer. */
  committers: readonly string[];
  /** Accounts that pushed to the PR (the sender of its opened/synchronize events). */
  pushers: readonly string[];
  /** The PR's commit list reached GitHub's cap: who committed cannot be told completely. */
  commitsCapped: boolean;
  /** Review authors who are configured reviewers (users, or active team members). */
  reviewers: ReadonlySet<string>;
  required: number;
}

export interface GateVerdict {
  pull: number;
  base: string;
  ok: boolean;
  approvals: string[];
  blocking: string[];
  /** Reviews that did not count, and why. */
  ignored: { login: string; why: string }[];
  summary: string;
}

/** GitHub caps a pull request's commit listing at 250 commits. */
export const COMMIT_LIST_CAP = 250;

/** COMMENTED does not change a decision; DISMISSED withdraws it. */
const DECISIVE = new Set(["APPROVED", "CHANGES_REQUESTED", "DISMISSED"]);

/** The gate's verdict for pull request `input.pull` into `input.base` at `input.headSha`. */
export function evaluateGate(input: GateInput): GateVerdict {
  const at = `#${String(input.pull)} into ${input.base}`;
  if (input.commitsCapped)
    return refused(
      input,
      `${at}: ${String(COMMIT_LIST_CAP)} or more commits; GitHub lists only ${String(COMMIT_LIST_CAP)}, so who committed cannot be told completely. Squash the pull request or split it.`,
    );
  const latest = new Map<string, Review>();
  for (const r of input.reviews) if (DECISIVE.has(r.state)) latest.set(r.login.toLowerCase(), r);
  const excluded = new Set(
    [input.author, ...input.committers, ...input.pushers].map((l) => l.toLowerCase()),
  );
  const reviewers = new Set([...input.reviewers].map((l) => l.toLowerCase()));
  const approvals: string[] = [];
  const blocking: string[] = [];
  const ignored: GateVerdict["ignored"] = [];
  for (const [key, r] of latest) {
    const why = notCounted(input, r, key, reviewers, excluded);
    if (why === "blocks") blocking.push(r.login);
    else if (why !== undefined) ignored.push({ login: r.login, why });
    else approvals.push(r.login);
  }
  const ok = blocking.length === 0 && approvals.length >= input.required;
  const summary = blocking.length
    ? `${at}: changes requested by ${blocking.join(", ")}`
    : `${at}: ${String(approvals.length)} of ${String(input.required)} required approval(s) of ${short(input.headSha)}${approvals.length ? ` (${approvals.join(", ")})` : ""}`;
  return {
    pull: input.pull,
    base: input.base,
    ok,
    approvals: approvals.sort(),
    blocking: blocking.sort(),
    ignored,
    summary,
  };
}

/** Why `r` does not approve, "blocks" when it blocks, undefined when it counts. */
function notCounted(
  input: GateInput,
  r: Review,
  key: string,
  reviewers: ReadonlySet<string>,
  excluded: ReadonlySet<string>,
): string | undefined {
  if (!reviewers.has(key)) return "not a configured reviewer";
  if (r.state === "DISMISSED") return "their latest review was dismissed";
  if (r.state === "CHANGES_REQUESTED") return "blocks";
  if (excluded.has(key)) return "authored, committed or pushed to this pull request";
  if (r.commitId !== input.headSha)
    return `approved ${short(r.commitId)}, not the head ${short(input.headSha)}`;
  // Base binding: an approval of a change into one branch says nothing about another.
  if (
    input.baseChangedAt !== null &&
    (r.submittedAt === null || Date.parse(r.submittedAt) <= Date.parse(input.baseChangedAt))
  )
    return `approved before the base changed to ${input.base} (${input.baseChangedAt})`;
  return undefined;
}

function refused(input: GateInput, summary: string): GateVerdict {
  return {
    pull: input.pull,
    base: input.base,
    ok: false,
    approvals: [],
    blocking: [],
    ignored: [],
    summary,
  };
}

function short(sha: string | null): string {
  return sha === null ? "a commit that no longer exists" : sha.slice(0, 7);
}
