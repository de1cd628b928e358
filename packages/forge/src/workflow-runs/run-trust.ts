/**
 * Which runs the forge's runner trusts with its shared caches. A run is
 * trusted when the code it runs is the default branch's, which only
 * reviewed merges (branch protection) or writers' dispatches reach: a push
 * to the default branch or a dispatch on it. A pull request's run, or a
 * push to any other branch (whose workflow file its pusher wrote), is not:
 * it must not write what the trusted runs read, as GitHub scopes a pull
 * request's caches to its own ref.
 */
import type { WorkflowEventName } from "../runner/contract.js";

export function isTrustedRun(
  event: WorkflowEventName,
  ref: string,
  defaultBranch: string,
): boolean {
  if (event === "pull_request") return false;
  return ref === `refs/heads/${defaultBranch}`;
}
