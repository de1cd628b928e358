/** Pull requests, their reviews, and issue comments (PRs share the issue number space). */
import type { Row } from "../persistence/state-tables.js";

export interface PullRow extends Row {
  repoId: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  draft: boolean;
  userId: number;
  headRef: string;
  headSha: string;
  baseRef: string;
  merged: boolean;
  merged_at: string | null;
  mergedById: number | null;
  merge_commit_sha: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ReviewRow extends Row {
  repoId: number;
  pullNumber: number;
  userId: number;
  body: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  commit_id: string;
  submitted_at: string | null;
}

export interface CommentRow extends Row {
  repoId: number;
  issueNumber: number;
  userId: number;
  body: string;
  appId: number | null;
  created_at: string;
  updated_at: string;
}

/** An entry of a pull request's timeline; the forge records base changes only. */
export interface IssueEventRow extends Row {
  repoId: number;
  issueNumber: number;
  actorId: number;
  event: "base_ref_changed";
  created_at: string;
}

export const PULLS = "pulls";
export const ISSUE_EVENTS = "issue_events";
export const REVIEWS = "pull_reviews";
export const COMMENTS = "issue_comments";
