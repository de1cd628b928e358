/**
 * Renders check runs as GitHub's `check-run`, suites as `check-suite` and
 * annotations as `check-annotation`. `pull_requests` is always empty: the
 * forge does not map a head sha back to pull requests (GitHub does the same
 * for forks, so clients must not rely on it).
 */
import type { CommitInfo } from "../git/commit-log.js";
import type { AnnotationRow, CheckRunRow, CheckSuiteRow } from "./check-rows.js";
import { nodeId } from "./node-id.js";

export interface CheckJsonContext {
  /** `<api>/repos/<owner>/<repo>` */
  repoApi: string;
  /** `<web>/<owner>/<repo>` */
  repoWeb: string;
  /** The app rendered as `integration`. */
  app: Record<string, unknown>;
}

export function checkRunJson(c: CheckJsonContext, run: CheckRunRow): Record<string, unknown> {
  const html = `${c.repoWeb}/runs/${run.id}`;
  return {
    id: run.id,
    node_id: nodeId("CheckRun", run.id),
    head_sha: run.head_sha,
    external_id: run.external_id,
    url: `${c.repoApi}/check-runs/${run.id}`,
    html_url: html,
    details_url: run.details_url ?? html,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    output: {
      ...run.output,
      annotations_count: run.annotationsCount,
      annotations_url: `${c.repoApi}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.suiteId },
    app: c.app,
    pull_requests: [],
  };
}

export function headCommitJson(commit: CommitInfo): Record<string, unknown> {
  const person = (p: CommitInfo["author"]): Record<string, unknown> => ({
    name: p.name,
    email: p.email,
  });
  return {
    id: commit.sha,
    tree_id: commit.tree,
    message: commit.message,
    timestamp: commit.committer.date,
    author: person(commit.author),
    committer: person(commit.committer),
  };
}

/** A check suite as webhooks nest it (`check_run.check_suite`, simple). */
export function checkSuiteSimpleJson(
  c: CheckJsonContext,
  suite: CheckSuiteRow,
  repository: Record<string, unknown>,
): Record<string, unknown> {
  return {
    id: suite.id,
    node_id: nodeId("CheckSuite", suite.id),
    head_branch: suite.head_branch,
    head_sha: suite.head_sha,
    status: suite.status,
    conclusion: suite.conclusion,
    url: `${c.repoApi}/check-suites/${suite.id}`,
    before: null,
    after: suite.head_sha,
    pull_requests: [],
    app: c.app,
    repository,
    created_at: suite.created_at,
    updated_at: suite.updated_at,
  };
}

export function checkSuiteJson(
  c: CheckJsonContext,
  suite: CheckSuiteRow,
  extra: { repository: Record<string, unknown>; headCommit: CommitInfo; runsCount: number },
): Record<string, unknown> {
  return {
    ...checkSuiteSimpleJson(c, suite, extra.repository),
    head_commit: headCommitJson(extra.headCommit),
    latest_check_runs_count: extra.runsCount,
    check_runs_url: `${c.repoApi}/check-suites/${suite.id}/check-runs`,
    rerequestable: true,
    runs_rerequestable: true,
  };
}

export function annotationJson(
  repoWeb: string,
  sha: string,
  a: AnnotationRow,
): Record<string, unknown> {
  return {
    path: a.path,
    blob_href: `${repoWeb}/blob/${sha}/${a.path}`,
    start_line: a.start_line,
    end_line: a.end_line,
    start_column: a.start_column,
    end_column: a.end_column,
    annotation_level: a.annotation_level,
    title: a.title,
    message: a.message,
    raw_details: a.raw_details,
  };
}
