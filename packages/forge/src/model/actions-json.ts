/**
 * Renders Actions records as GitHub's `workflow`, `workflow-run`, `job` and
 * `artifact`. A run's `check_suite_*` fields name a suite id equal to the
 * run id: the forge does not keep check suites for the Actions app.
 */
import type { ArtifactRow, JobRow, RunRow, WorkflowRow } from "./actions-rows.js";
import { nodeId } from "./node-id.js";

export interface ActionsJsonContext {
  /** `<api>/repos/<owner>/<repo>` */
  repoApi: string;
  /** `<web>/<owner>/<repo>` */
  repoWeb: string;
}

export function workflowJson(c: ActionsJsonContext, w: WorkflowRow): Record<string, unknown> {
  const file = w.path.split("/").pop() ?? w.path;
  return {
    id: w.id,
    node_id: nodeId("Workflow", w.id),
    name: w.name,
    path: w.path,
    state: "active",
    created_at: w.created_at,
    updated_at: w.updated_at,
    url: `${c.repoApi}/actions/workflows/${w.id}`,
    html_url: `${c.repoWeb}/blob/HEAD/${w.path}`,
    badge_url: `${c.repoWeb}/workflows/${encodeURIComponent(file)}/badge.svg`,
  };
}

export function runJson(
  c: ActionsJsonContext,
  r: RunRow,
  extra: { actor: Record<string, unknown>; repository: Record<string, unknown> },
): Record<string, unknown> {
  const url = `${c.repoApi}/actions/runs/${r.id}`;
  return {
    id: r.id,
    name: r.name,
    node_id: nodeId("WorkflowRun", r.id),
    check_suite_id: r.id,
    check_suite_node_id: nodeId("CheckSuite", r.id),
    head_branch: r.head_branch,
    head_sha: r.head_sha,
    path: r.path,
    display_title: r.display_title,
    run_number: r.run_number,
    run_attempt: r.run_attempt,
    event: r.event,
    status: r.status,
    conclusion: r.conclusion,
    workflow_id: r.workflowId,
    url,
    html_url: `${c.repoWeb}/actions/runs/${r.id}`,
    pull_requests: r.pull_requests ?? [],
    created_at: r.created_at,
    updated_at: r.updated_at,
    run_started_at: r.run_started_at,
    actor: extra.actor,
    triggering_actor: extra.actor,
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: `${c.repoApi}/check-suites/${r.id}`,
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${c.repoApi}/actions/workflows/${r.workflowId}`,
    head_commit: r.head_commit,
    repository: extra.repository,
    head_repository: extra.repository,
    referenced_workflows: [],
  };
}

export function jobJson(c: ActionsJsonContext, j: JobRow, run: RunRow): Record<string, unknown> {
  return {
    id: j.id,
    run_id: j.runId,
    run_url: `${c.repoApi}/actions/runs/${j.runId}`,
    run_attempt: run.run_attempt,
    node_id: nodeId("CheckRun", j.id),
    head_sha: run.head_sha,
    url: `${c.repoApi}/actions/jobs/${j.id}`,
    html_url: `${c.repoWeb}/actions/runs/${j.runId}/job/${j.id}`,
    status: j.status,
    conclusion: j.conclusion,
    created_at: j.created_at,
    started_at: j.started_at,
    completed_at: j.completed_at,
    name: j.name,
    steps: j.steps.map((s) => ({
      name: s.name,
      number: s.number,
      status: s.conclusion === null ? "in_progress" : "completed",
      conclusion: s.conclusion,
    })),
    check_run_url: `${c.repoApi}/check-runs/${j.id}`,
    labels: ["ubuntu-latest"],
    runner_id: 1,
    runner_name: "forge",
    runner_group_id: 1,
    runner_group_name: "forge",
    workflow_name: run.name,
    head_branch: run.head_branch,
  };
}

export function artifactJson(
  c: ActionsJsonContext,
  a: ArtifactRow,
  run: RunRow | undefined,
  now: Date,
): Record<string, unknown> {
  const url = `${c.repoApi}/actions/artifacts/${a.id}`;
  return {
    id: a.id,
    node_id: nodeId("Artifact", a.id),
    name: a.name,
    size_in_bytes: a.size_in_bytes,
    url,
    archive_download_url: `${url}/zip`,
    expired: artifactExpired(a, now),
    created_at: a.created_at,
    expires_at: a.expires_at,
    updated_at: a.updated_at,
    workflow_run: run
      ? {
          id: run.id,
          repository_id: run.repoId,
          head_repository_id: run.repoId,
          head_branch: run.head_branch ?? "",
          head_sha: run.head_sha,
        }
      : null,
  };
}

/** GitHub keeps artifacts until `expires_at` (90 days by default); after that a download is 410. */
export function artifactExpired(a: Pick<ArtifactRow, "expires_at">, now: Date): boolean {
  return Date.parse(a.expires_at) <= now.getTime();
}
