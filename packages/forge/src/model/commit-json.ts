/** Renders a git commit as GitHub's `commit` (REST) object. */
import type { CommitInfo } from "../git/commit-log.js";
import type { Db } from "./db.js";
import { nodeId } from "./node-id.js";
import type { Urls } from "./urls.js";
import { simpleUser } from "./user-json.js";

export function commitJson(
  urls: Urls,
  db: Db,
  fullName: string,
  c: CommitInfo,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const api = `${urls.api}/repos/${fullName}`;
  const html = `${urls.web}/${fullName}`;
  const account = (email: string): Record<string, unknown> => {
    const u = db.users.find(
      (x) => x.email !== null && x.email.toLowerCase() === email.toLowerCase(),
    );
    return u ? simpleUser(urls, u) : {};
  };
  return {
    url: `${api}/commits/${c.sha}`,
    sha: c.sha,
    node_id: nodeId("Commit", parseInt(c.sha.slice(0, 8), 16)),
    html_url: `${html}/commit/${c.sha}`,
    comments_url: `${api}/commits/${c.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${c.sha}`,
      author: c.author,
      committer: c.committer,
      message: c.message,
      comment_count: 0,
      tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
      verification: {
        verified: false,
        reason: "unsigned",
        payload: null,
        signature: null,
        verified_at: null,
      },
    },
    author: account(c.author.email),
    committer: account(c.committer.email),
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${api}/commits/${p}`,
      html_url: `${html}/commit/${p}`,
    })),
    ...extra,
  };
}
