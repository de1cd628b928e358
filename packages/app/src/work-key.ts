/**
 * Which queue a delivery's work joins (see work.ts). Work on one pull
 * request runs in arrival order: its pull_request and review events carry
 * `pull_request`, and a workflow_run of its build lists it in
 * `workflow_run.pull_requests`, so the run's results are written after the
 * handler that queued its build checks. GitHub lists only same-repository
 * pull requests there (a fork's run has none) and may list several when one
 * head is open against several bases: such a run joins no pull request's
 * queue, and the pull_request handler completes the builds from it if it
 * lost the race (github/finished-build-run.ts). The key only orders work;
 * nothing is decided on it.
 */

/** The queue of a delivery (a Probot context): `<owner>/<repo>#<number>` or one of its own. */
export function workKey(context: { id: string; payload: unknown }): string {
  const p = context.payload as {
    repository?: { full_name?: string };
    pull_request?: { number?: number };
    workflow_run?: { pull_requests?: { number?: number }[] | null };
  };
  const runPulls = p.workflow_run?.pull_requests ?? [];
  const pr = p.pull_request?.number ?? (runPulls.length === 1 ? runPulls[0]?.number : undefined);
  return pr === undefined ? `delivery:${context.id}` : `${p.repository?.full_name ?? ""}#${pr}`;
}
