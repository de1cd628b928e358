/** Renders accounts as GitHub's `simple-user` and `organization-simple`. */
import { nodeId } from "./node-id.js";
import type { UserRow } from "./rows.js";
import type { Urls } from "./urls.js";

export function simpleUser(urls: Urls, u: UserRow): Record<string, unknown> {
  // `[bot]` logins are percent-encoded in URLs, as GitHub sends them.
  const api = `${urls.api}/users/${encodeURIComponent(u.login)}`;
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(u.type === "Organization" ? "Organization" : "User", u.id),
    avatar_url: `${urls.web}/avatars/u/${u.id}`,
    gravatar_id: "",
    url: api,
    html_url: `${urls.web}/${encodeURIComponent(u.login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: u.type,
    site_admin: u.site_admin,
    user_view_type: "public",
  };
}

export function organizationSimple(urls: Urls, o: UserRow): Record<string, unknown> {
  const api = `${urls.api}/orgs/${o.login}`;
  return {
    login: o.login,
    id: o.id,
    node_id: nodeId("Organization", o.id),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `${urls.web}/avatars/u/${o.id}`,
    description: null,
  };
}

/** `public-user` (GET /users/{username}, GET /user): simple-user plus profile counters. */
export function publicUser(urls: Urls, u: UserRow): Record<string, unknown> {
  return {
    ...simpleUser(urls, u),
    name: u.name,
    company: null,
    blog: null,
    location: null,
    email: u.email,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: u.created_at,
    updated_at: u.created_at,
  };
}
