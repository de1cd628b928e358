/** The app's one comment on a PR: found by its hidden marker among the app's own comments, rewritten whole. */
import { isAppComment, renderComment, type Sections } from "../comment.js";
import type { CommentState } from "../comment-state.js";
import type { Octokit, RepoRef } from "./types.js";

/** Applies `updates` to the PR's sections in `state` and writes the comment, creating it the first time. */
export async function upsertPrComment(
  octokit: Octokit,
  ref: RepoRef,
  issueNumber: number,
  updates: Sections,
  state: CommentState,
): Promise<void> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    ...ref,
    issue_number: issueNumber,
    per_page: 100,
  });
  // Anyone can write the marker; only a comment by a bot (this app) is ours to edit.
  const mine = comments.find((c) => c.user?.type === "Bot" && isAppComment(c.body));
  // Rendered from the app's state only: what the comment says now is never read back.
  const body = renderComment(await state.update(ref, issueNumber, updates));
  if (mine === undefined)
    await octokit.rest.issues.createComment({ ...ref, issue_number: issueNumber, body });
  else if (mine.body !== body)
    await octokit.rest.issues.updateComment({ ...ref, comment_id: mine.id, body });
}
