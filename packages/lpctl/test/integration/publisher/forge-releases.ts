/**
 * The publisher's GitHub for its release tests: the in-process forge (every
 * answer held to GitHub's description), alice with a repository per test
 * holding one pushed commit, a log of the requests it answered, and
 * alice's own API access to read and rewrite releases as anyone with
 * write access could.
 */
import { Octokit } from "@octokit/rest";
import type { ForgeOptions } from "@livepatch-gitops/forge";
import { pushFiles } from "@livepatch-gitops/test-support/forge-areas-helpers";
import { startTestForge, type TestForge } from "@livepatch-gitops/test-support/test-forge";

export interface ReleaseAsset {
  id: number;
  name: string;
  state: string;
  size: number;
  digest: string | null;
}

export interface ReleaseView {
  id: number;
  tag: string;
  commit: string;
  assets: ReleaseAsset[];
}

export interface ReleaseForge {
  t: TestForge;
  /** "METHOD path" of every REST and upload request answered, in order (the forge's log). */
  requests: string[];
  /** alice's token (what LPCTL_TEST_TOKEN must hold for a publish to this forge). */
  token: string;
  /** A new repository alice/<name> with one commit on main; returns its sha. */
  repoWithCommit(name: string): Promise<string>;
  releases(repo: string): Promise<ReleaseView[]>;
  /** The tag of the latest release, or undefined (404). */
  latest(repo: string): Promise<string | undefined>;
  download(repo: string, id: number): Promise<Uint8Array>;
  /** Deletes asset `name` of release `tag`. */
  remove(repo: string, tag: string, name: string): Promise<void>;
  /** Makes the next upload of manifest.json stop halfway (the forge keeps it `open`, answers 502). */
  interruptManifestUpload(): void;
  /** Replaces asset `name` of release `tag` with `edit` of its bytes (delete, upload). */
  rewrite(repo: string, tag: string, name: string, edit: (text: string) => string): Promise<void>;
  stop(): Promise<void>;
}

export async function startReleaseForge(opts: Partial<ForgeOptions> = {}): Promise<ReleaseForge> {
  const t = await startTestForge(opts);
  const { token } = await t.forge.createUser("alice");
  const kit = new Octokit({
    auth: token,
    baseUrl: t.forge.apiUrl,
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    },
  });
  const owner = "alice";
  const releases = async (repo: string): Promise<ReleaseView[]> => {
    const { data } = await kit.rest.repos.listReleases({ owner, repo });
    return data
      .map((r) => ({
        id: r.id,
        tag: r.tag_name,
        commit: r.target_commitish,
        assets: r.assets.map((a) => ({
          id: a.id,
          name: a.name,
          state: a.state,
          size: a.size,
          digest: a.digest,
        })),
      }))
      .sort((a, b) => a.id - b.id);
  };
  const find = async (repo: string, tag: string, name: string) => {
    const release = (await releases(repo)).find((r) => r.tag === tag);
    const asset = release?.assets.find((a) => a.name === name);
    if (!release || !asset) throw new Error(`no ${tag}/${name} in ${repo}`);
    return { release, asset };
  };
  const download = async (repo: string, id: number): Promise<Uint8Array> => {
    const { data } = await kit.rest.repos.getReleaseAsset({
      owner,
      repo,
      asset_id: id,
      headers: { accept: "application/octet-stream" },
    });
    return new Uint8Array(data as unknown as ArrayBuffer);
  };
  return {
    t,
    requests: t.requests,
    token,
    async repoWithCommit(name) {
      await t.forge.createRepo(owner, name);
      return pushFiles(t.forge.url, token, `${owner}/${name}`, { "README.md": `${name}\n` });
    },
    releases,
    async latest(repo) {
      try {
        return (await kit.rest.repos.getLatestRelease({ owner, repo })).data.tag_name;
      } catch (e) {
        if ((e as { status?: number }).status === 404) return undefined;
        throw e;
      }
    },
    download,
    interruptManifestUpload() {
      t.forge.setFault({
        method: "POST",
        route: /\/assets\?name=manifest\.json(&|$)/,
        status: 502,
        times: 1,
        interruptUpload: true,
      });
    },
    async remove(repo, tag, name) {
      const { asset } = await find(repo, tag, name);
      await kit.rest.repos.deleteReleaseAsset({ owner, repo, asset_id: asset.id });
    },
    async rewrite(repo, tag, name, edit) {
      const { release, asset } = await find(repo, tag, name);
      const text = new TextDecoder().decode(await download(repo, asset.id));
      await kit.rest.repos.deleteReleaseAsset({ owner, repo, asset_id: asset.id });
      // Uploads go to the host upload_url names, as on github.com.
      const { data } = await kit.rest.repos.getRelease({ owner, repo, release_id: release.id });
      await kit.rest.repos.uploadReleaseAsset({
        baseUrl: data.upload_url.slice(0, data.upload_url.indexOf("/repos/")),
        owner,
        repo,
        release_id: release.id,
        name,
        data: edit(text),
        headers: { "content-type": "application/json" },
      });
    },
    stop: () => t.stop(),
  };
}
