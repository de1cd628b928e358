/**
 * Webhook payloads as GitHub sends them for the fake repository; the
 * scenario's receive() holds each to @octokit/openapi-webhooks.
 */
import type { Pull, RunRec } from "./fake-state.js";
import { OWNER, REPO } from "./fake-state.js";
import { pullObject, repositoryObject, userObject } from "./payload-objects.js";

const user = userObject;
export const repository = repositoryObject();
const common = { repository, installation: { id: 7, node_id: "I_7" } };
const pullJson = pullObject;

/** `before`: the previous head (synchronize only). */
export function pullRequestEvent(
  action: "opened" | "synchronize" | "reopened",
  p: Pull,
  before = p.baseSha,
) {
  return {
    action,
    number: p.number,
    pull_request: pullJson(p),
    sender: user(p.user),
    ...(action === "synchronize" ? { before, after: p.headSha } : {}),
    ...common,
  };
}

export function reviewEvent(
  action: "submitted" | "dismissed" | "edited",
  p: Pull,
  review: { id: number; user: string; state: string; commitId: string },
) {
  const pr = pullObject(p);
  return {
    action,
    review: {
      id: review.id,
      node_id: `PRR_${review.id}`,
      user: user(review.user),
      body: null,
      state: review.state.toLowerCase(),
      commit_id: review.commitId,
      html_url: `${pr.html_url}#pullrequestreview-${review.id}`,
      pull_request_url: pr.url,
      submitted_at: "2026-11-30T12:00:00Z",
      author_association: "MEMBER",
      _links: {
        html: { href: `${pr.html_url}#pullrequestreview-${review.id}` },
        pull_request: { href: pr.url },
      },
    },
    pull_request: pr,
    ...(action === "edited" ? { changes: {} } : {}),
    sender: user(review.user),
    ...common,
  };
}

/** A workflow_run payload; `claims` overrides what the payload says (the app must re-read the run). */
export function workflowRunEvent(
  run: RunRec,
  claims: Partial<{ event: string; head_branch: string }> = {},
) {
  const api = `https://api.github.test/repos/${OWNER}/${REPO}`;
  const url = `${api}/actions/runs/${run.id}`;
  const time = "2026-11-30T12:00:00Z";
  const workflow = {
    id: 9,
    node_id: "W_9",
    name: "build",
    path: run.path,
    state: "active",
    url: `${api}/actions/workflows/9`,
    html_url: `https://github.test/${OWNER}/${REPO}/blob/main/${run.path}`,
    badge_url: `https://github.test/${OWNER}/${REPO}/workflows/build/badge.svg`,
    created_at: time,
    updated_at: time,
  };
  return {
    action: "completed",
    workflow_run: {
      id: run.id,
      node_id: `WFR_${run.id}`,
      name: "build",
      display_title: "build",
      event: run.event,
      head_branch: run.headBranch,
      head_sha: run.headSha,
      path: run.path,
      status: run.status,
      conclusion: run.conclusion,
      pull_requests: [],
      url,
      html_url: `https://github.test/${OWNER}/${REPO}/actions/runs/${run.id}`,
      jobs_url: `${url}/jobs`,
      logs_url: `${url}/logs`,
      artifacts_url: `${url}/artifacts`,
      cancel_url: `${url}/cancel`,
      rerun_url: `${url}/rerun`,
      previous_attempt_url: null,
      check_suite_id: run.id + 1,
      check_suite_node_id: `CS_${run.id}`,
      check_suite_url: `${api}/check-suites/${run.id + 1}`,
      workflow_id: 9,
      workflow_url: workflow.url,
      run_attempt: 1,
      run_number: run.id,
      run_started_at: time,
      created_at: time,
      updated_at: time,
      actor: user("alice"),
      triggering_actor: user("alice"),
      head_commit: {
        id: run.headSha,
        tree_id: run.headSha,
        message: "merge",
        timestamp: time,
        author: { name: "alice", email: "alice@example.invalid" },
        committer: { name: "alice", email: "alice@example.invalid" },
      },
      repository: common.repository,
      head_repository: common.repository,
      referenced_workflows: [],
      ...claims,
    },
    workflow,
    sender: user("alice"),
    ...common,
  };
}

export function dispatchEvent(action: string) {
  return {
    action,
    branch: "main",
    client_payload: null,
    sender: user("github-actions[bot]"),
    ...common,
  };
}
