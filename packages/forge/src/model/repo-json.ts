/**
 * Renders a repository as GitHub's `full-repository`, which also satisfies
 * `repository` and `minimal-repository` (they are subsets), with the
 * hypermedia URL templates GitHub sends.
 */
import { nodeId } from "./node-id.js";
import type { RepoRow, UserRow } from "./rows.js";
import type { Urls } from "./urls.js";
import { simpleUser } from "./user-json.js";

export interface RepoPermissions {
  admin: boolean;
  maintain: boolean;
  push: boolean;
  triage: boolean;
  pull: boolean;
}

function templates(api: string): Record<string, string> {
  const t = (name: string, suffix = ""): string => `${api}/${name}${suffix}`;
  return {
    archive_url: t("{archive_format}{/ref}"),
    assignees_url: t("assignees", "{/user}"),
    blobs_url: t("git/blobs", "{/sha}"),
    branches_url: t("branches", "{/branch}"),
    collaborators_url: t("collaborators", "{/collaborator}"),
    comments_url: t("comments", "{/number}"),
    commits_url: t("commits", "{/sha}"),
    compare_url: t("compare/{base}...{head}"),
    contents_url: t("contents/{+path}"),
    contributors_url: t("contributors"),
    deployments_url: t("deployments"),
    downloads_url: t("downloads"),
    events_url: t("events"),
    forks_url: t("forks"),
    git_commits_url: t("git/commits", "{/sha}"),
    git_refs_url: t("git/refs", "{/sha}"),
    git_tags_url: t("git/tags", "{/sha}"),
    hooks_url: t("hooks"),
    issue_comment_url: t("issues/comments", "{/number}"),
    issue_events_url: t("issues/events", "{/number}"),
    issues_url: t("issues", "{/number}"),
    keys_url: t("keys", "{/key_id}"),
    labels_url: t("labels", "{/name}"),
    languages_url: t("languages"),
    merges_url: t("merges"),
    milestones_url: t("milestones", "{/number}"),
    notifications_url: t("notifications{?since,all,participating}"),
    pulls_url: t("pulls", "{/number}"),
    releases_url: t("releases", "{/id}"),
    stargazers_url: t("stargazers"),
    statuses_url: t("statuses/{sha}"),
    subscribers_url: t("subscribers"),
    subscription_url: t("subscription"),
    tags_url: t("tags"),
    teams_url: t("teams"),
    trees_url: t("git/trees", "{/sha}"),
  };
}

export function repositoryJson(
  urls: Urls,
  repo: RepoRow,
  owner: UserRow,
  permissions?: RepoPermissions,
): Record<string, unknown> {
  const fullName = `${owner.login}/${repo.name}`;
  const api = `${urls.api}/repos/${fullName}`;
  const html = `${urls.web}/${fullName}`;
  const host = new URL(urls.web).host;
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: fullName,
    owner: simpleUser(urls, owner),
    private: repo.private,
    visibility: repo.private ? "private" : "public",
    html_url: html,
    description: repo.description,
    fork: false,
    url: api,
    ...templates(api),
    git_url: `git://${host}/${fullName}.git`,
    ssh_url: `git@${host}:${fullName}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    mirror_url: null,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: repo.default_branch,
    open_issues_count: 0,
    open_issues: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    pushed_at: repo.pushed_at,
    created_at: repo.created_at,
    updated_at: repo.updated_at,
    allow_merge_commit: true,
    allow_squash_merge: false,
    allow_rebase_merge: false,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    allow_forking: true,
    web_commit_signoff_required: false,
    subscribers_count: 0,
    network_count: 0,
    license: null,
    ...(permissions ? { permissions } : {}),
  };
}
