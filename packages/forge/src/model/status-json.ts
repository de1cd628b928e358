/** Renders commit statuses as GitHub's `status` and `simple-commit-status`. */
import type { StatusRow } from "./check-rows.js";
import { nodeId } from "./node-id.js";

export function simpleStatusJson(
  repoApi: string,
  avatarUrl: string,
  s: StatusRow,
): Record<string, unknown> {
  return {
    url: `${repoApi}/statuses/${s.sha}`,
    avatar_url: avatarUrl,
    id: s.id,
    node_id: nodeId("StatusContext", s.id),
    state: s.state,
    description: s.description,
    target_url: s.target_url,
    context: s.context,
    created_at: s.created_at,
    updated_at: s.updated_at,
  };
}

export function statusJson(
  repoApi: string,
  creator: Record<string, unknown>,
  s: StatusRow,
): Record<string, unknown> {
  return {
    ...simpleStatusJson(repoApi, String(creator.avatar_url), s),
    creator,
  };
}
