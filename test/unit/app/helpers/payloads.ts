/**
 * Webhook payloads as GitHub sends them for the fake repository (the
 * integrator validates them against @octokit/openapi-webhooks).
 */
import type { Pull, RunRec } from "./fake-state.js";
import { OWNER, REPO } from "./fake-state.js";

const user = (login: string) => ({
  login,
  id: login.length + 1000,
  node_id: `U_${login}`,
  avatar_url: "",
  gravatar_id: "",
  url: "",
  html_url: `https://github.test/${login}`,
  type: login.endsWith("[bot]") ? "Bot" : "User",
  site_admin: false,
});

export const repository = {
  id: 1,
  node_id: "R_1",
  name: REPO,
  full_name: `${OWNER}/${REPO}`,
  private: false,
  owner: user(OWNER),
  html_url: `https://github.test/${OWNER}/${REPO}`,
  url: `https://api.github.test/repos/${OWNER}/${REPO}`,
  default_branch: "main",
  fork: false,
};

const common = { repository, installation: { id: 7, node_id: "I_7" } };

function pullJson(p: Pull) {
  return {
    id: p.number + 5000,
    node_id: `PR_${p.number}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: `PR ${p.number}`,
    user: user(p.user),
    body: null,
    html_url: `https://github.test/${OWNER}/${REPO}/pull/${p.number}`,
    head: {
      label: `${OWNER}:${p.headRef}`,
      ref: p.headRef,
      sha: p.headSha,
      user: user(OWNER),
      repo: repository,
    },
    base: {
      label: `${OWNER}:${p.baseRef}`,
      ref: p.baseRef,
      sha: p.baseSha,
      user: user(OWNER),
      repo: repository,
    },
    merged: p.mergedAt !== null,
    merged_at: p.mergedAt,
    merge_commit_sha: p.mergeSha,
    draft: false,
  };
}

export function pullRequestEvent(action: "opened" | "synchronize" | "reopened", p: Pull) {
  return { action, number: p.number, pull_request: pullJson(p), sender: user(p.user), ...common };
}

export function reviewEvent(
  action: "submitted" | "dismissed" | "edited",
  p: Pull,
  review: { id: number; user: string; state: string; commitId: string },
) {
  return {
    action,
    review: {
      id: review.id,
      node_id: `RV_${review.id}`,
      user: user(review.user),
      body: null,
      state: review.state.toLowerCase(),
      commit_id: review.commitId,
      html_url: "",
      submitted_at: "2026-11-30T12:00:00Z",
      author_association: "MEMBER",
    },
    pull_request: pullJson(p),
    sender: user(review.user),
    ...common,
  };
}

/** A workflow_run payload; `claims` overrides what the payload says (the app must re-read the run). */
export function workflowRunEvent(
  run: RunRec,
  claims: Partial<{ event: string; head_branch: string }> = {},
) {
  return {
    action: "completed",
    workflow_run: {
      id: run.id,
      name: "build",
      event: run.event,
      head_branch: run.headBranch,
      head_sha: run.headSha,
      path: run.path,
      status: run.status,
      conclusion: run.conclusion,
      pull_requests: [],
      html_url: `https://github.test/${OWNER}/${REPO}/actions/runs/${run.id}`,
      ...claims,
    },
    workflow: { id: 9, name: "build", path: run.path },
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
