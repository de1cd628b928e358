/**
 * Hand-made REST bodies, complete per GitHub's GHES 3.19 description: what
 * the forge must answer for a user and a release with one asset.
 */
const BASE = "http://127.0.0.1:3000";
const API = `${BASE}/api/v3`;

export function simpleUser(login = "octocat", id = 1) {
  // GitHub percent-encodes logins in URLs: `lpctl[bot]` is not a valid URI path.
  const url = `${API}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `${BASE}/avatars/${encodeURIComponent(login)}`,
    gravatar_id: null,
    url,
    html_url: `${BASE}/${encodeURIComponent(login)}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: "User",
    site_admin: false,
  };
}

export function releaseAsset(id = 10, name = "manifest.json") {
  return {
    url: `${API}/repos/o/r/releases/assets/${id}`,
    browser_download_url: `${BASE}/o/r/releases/download/v1/${name}`,
    id,
    node_id: `RA_${id}`,
    name,
    label: null,
    state: "uploaded",
    content_type: "application/json",
    size: 120,
    digest: "sha256:0000000000000000000000000000000000000000000000000000000000000000",
    download_count: 0,
    created_at: "2026-11-30T12:00:00Z",
    updated_at: "2026-11-30T12:00:00Z",
    uploader: simpleUser("lpctl[bot]", 2),
  };
}

export function release(id = 1) {
  return {
    url: `${API}/repos/o/r/releases/${id}`,
    html_url: `${BASE}/o/r/releases/tag/v1`,
    assets_url: `${API}/repos/o/r/releases/${id}/assets`,
    upload_url: `${BASE}/api/uploads/repos/o/r/releases/${id}/assets{?name,label}`,
    tarball_url: `${API}/repos/o/r/tarball/v1`,
    zipball_url: `${API}/repos/o/r/zipball/v1`,
    id,
    node_id: `RE_${id}`,
    tag_name: "v1",
    target_commitish: "main",
    name: "v1",
    body: null,
    draft: false,
    prerelease: false,
    immutable: false,
    created_at: "2026-11-30T12:00:00Z",
    published_at: "2026-11-30T12:00:00Z",
    author: simpleUser(),
    assets: [releaseAsset()],
  };
}
