/**
 * The trusted-build rule: the app signs only a `push` or `workflow_dispatch`
 * run of the configured build workflow on the default branch, at a commit
 * that is on the default branch, that succeeded. Both run the default
 * branch's own workflow file at its own commit and need write access to
 * start; a dispatch is how a tip whose push started no run (or whose run
 * failed) gets built. Decided on the run as the API returns it (never the
 * webhook payload alone); each build report must then name the same run and
 * commit (core/provenance.ts). Pure.
 */

export interface RunFacts {
  id: number;
  event: string;
  headBranch: string | null;
  headSha: string;
  /** The workflow file the run executed, e.g. `.github/workflows/build.yml`. */
  path: string;
  conclusion: string | null;
  /** `compare(default...headSha).status`: identical or behind means on the branch. */
  compareStatus: string;
}

/** Events whose runs execute the default branch's workflow at its own commit. */
export const TRUSTED_EVENTS: ReadonlySet<string> = new Set(["push", "workflow_dispatch"]);

/** The workflow file a run executed: a run's `path` may carry `@ref`. */
export function workflowFileOf(runPath: string): string {
  return runPath.split("@")[0] ?? runPath;
}

export interface TrustRules {
  defaultBranch: string;
  workflowPath: string;
}

/** Why `run` is not a trusted build, or undefined when it is. */
export function untrustedReason(run: RunFacts, rules: TrustRules): string | undefined {
  if (!TRUSTED_EVENTS.has(run.event))
    return `run ${run.id} is a ${run.event} run; only push and workflow_dispatch runs are signed`;
  if (run.headBranch !== rules.defaultBranch)
    return `run ${run.id} ran on '${run.headBranch ?? "?"}', not the default branch '${rules.defaultBranch}'`;
  if (workflowFileOf(run.path) !== rules.workflowPath)
    return `run ${run.id} ran ${run.path}, not ${rules.workflowPath}`;
  if (run.compareStatus !== "identical" && run.compareStatus !== "behind")
    return `commit ${run.headSha} is not on ${rules.defaultBranch} (compare: ${run.compareStatus})`;
  if (run.conclusion !== "success")
    return `run ${run.id} concluded ${run.conclusion ?? "nothing"}, not success`;
  return undefined;
}
