/** A `release` webhook payload for the fake repository, as GitHub sends it. */
import { OWNER, REPO, type ReleaseRec } from "./fake-state.js";
import { repository } from "./payloads.js";
import { userObject } from "./payload-objects.js";

const TIME = "2026-11-30T12:00:00Z";

export function releaseEvent(
  action: "published" | "created" | "edited" | "deleted",
  r: ReleaseRec,
  sender: string,
) {
  const api = `https://api.github.test/repos/${OWNER}/${REPO}`;
  const web = `https://github.test/${OWNER}/${REPO}`;
  return {
    action,
    release: {
      id: r.id,
      node_id: `RE_${r.id}`,
      url: `${api}/releases/${r.id}`,
      html_url: `${web}/releases/tag/${r.tag}`,
      assets_url: `${api}/releases/${r.id}/assets`,
      upload_url: `https://uploads.github.test/repos/${OWNER}/${REPO}/releases/${r.id}/assets{?name,label}`,
      tarball_url: `${api}/tarball/${r.tag}`,
      zipball_url: `${api}/zipball/${r.tag}`,
      tag_name: r.tag,
      target_commitish: r.commit,
      name: r.tag,
      body: null,
      draft: false,
      prerelease: false,
      immutable: false,
      created_at: TIME,
      updated_at: TIME,
      published_at: TIME,
      author: userObject(r.author ?? "livepatch[bot]"),
      assets: [],
    },
    ...(action === "edited" ? { changes: {} } : {}),
    repository,
    installation: { id: 7, node_id: "I_7" },
    sender: userObject(sender),
  };
}
