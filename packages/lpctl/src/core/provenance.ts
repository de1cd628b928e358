/**
 * The provenance rule of the signer: every build report it publishes names
 * the same repository, commit, event and workflow run, that is the build the
 * caller says it is signing, and it is not a pull request's build (untrusted
 * code, no review yet). Pure: reports and expectations in.
 */
import type { BuildReport, BuildSource } from "./build-report.js";
import { LpctlError } from "./errors.js";

export interface ExpectedSource {
  /** The commit the caller expects (--expect-commit): the reviewed merge commit. */
  commit: string;
  /** The repository the manifest names. */
  repository?: string;
  /** The workflow run the caller expects (--expect-run), when it knows it. */
  workflowRun?: string;
}

/** Events whose builds ran code nobody approved yet. */
const UNTRUSTED_EVENTS = new Set(["pull_request", "pull_request_target"]);

/** The one source all `reports` share, after the checks; throws PROVENANCE_*. */
export function checkProvenance(
  reports: readonly BuildReport[],
  expected: ExpectedSource,
): BuildSource {
  const first = reports[0]?.source;
  for (const r of reports) {
    if (r.source === undefined) {
      throw new LpctlError(
        "PROVENANCE_MISSING",
        `the build report for '${r.target}' records no source (repository, commit, run); build in CI, or pass lpctl build --source-* outside it`,
        { details: { target: r.target } },
      );
    }
    for (const field of ["repository", "commit", "event", "workflowRun"] as const) {
      if (first && r.source[field] !== first[field]) {
        mismatch(
          `the build reports disagree on ${field}: '${first[field]}' and '${r.source[field]}' ('${r.target}'); publish one build's outputs`,
        );
      }
    }
  }
  if (first === undefined) throw new LpctlError("USAGE", "no build reports to publish");
  if (first.commit !== expected.commit.toLowerCase()) {
    mismatch(`the reports were built from ${first.commit}, not the expected ${expected.commit}`);
  }
  if (expected.repository !== undefined && first.repository !== expected.repository) {
    mismatch(
      `the reports were built from ${first.repository}, but the manifest is for ${expected.repository}`,
    );
  }
  if (expected.workflowRun !== undefined && first.workflowRun !== expected.workflowRun) {
    mismatch(
      `the reports come from run ${first.workflowRun}, not the expected ${expected.workflowRun}`,
    );
  }
  if (UNTRUSTED_EVENTS.has(first.event)) {
    mismatch(
      `the reports come from a ${first.event} build (unreviewed code); only the build of the merged commit is signed`,
    );
  }
  return first;
}

function mismatch(message: string): never {
  throw new LpctlError("PROVENANCE_MISMATCH", `${message}; refusing to sign`);
}
