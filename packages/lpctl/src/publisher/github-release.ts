/**
 * The one ReleaseStore on the GitHub REST API (github.com, GHE, or the local
 * forge), on any Octokit: `lpctl publish --github` builds one with a token,
 * retry and throttling; the app passes its installation's. Uploads go to the
 * release's own `upload_url`, so a server that is not api.github.com works
 * too. Request failures become RELEASE_FAILED here, once.
 */
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { LpctlError } from "../core/errors.js";
import { toAsset, toRelease, type ApiAsset } from "./github-release-json.js";
import type { ReleaseStore } from "./release-store.js";

export interface GitHubStoreOptions {
  /** "owner/repo". */
  repository: string;
  token: string;
  /** REST API base, e.g. https://api.github.com or http://127.0.0.1:3000/api/v3. */
  apiUrl?: string;
  /** Retries after a rate limit or a 5xx (0 in tests that want failures to show). */
  retries?: number;
  log?: (line: string) => void;
}

const RetryingOctokit = Octokit.plugin(retry, throttling);

/** A ReleaseStore for `options.repository`, with a token. */
export function createGitHubReleaseStore(options: GitHubStoreOptions): ReleaseStore {
  const [owner = "", repo = ""] = options.repository.split("/");
  if (!owner || !repo) {
    throw new LpctlError("USAGE", `--repository must be OWNER/REPO, not '${options.repository}'`);
  }
  const retries = options.retries ?? 3;
  const octokit = new RetryingOctokit({
    auth: options.token,
    userAgent: "livepatch-gitops-publisher",
    ...(options.apiUrl ? { baseUrl: options.apiUrl.replace(/\/$/, "") } : {}),
    retry: { retries },
    // Request failures are reported once, as LpctlError, by the caller.
    log: { debug: quiet, info: quiet, warn: (m: string) => options.log?.(m), error: quiet },
    throttle: {
      // GitHub asks for writes at least a second apart; a forge on loopback does not.
      enabled: !isLoopback(options.apiUrl),
      onRateLimit: (after: number, _o: object, _k: unknown, count: number) => {
        options.log?.(`rate limited; retrying in ${after}s`);
        return count < retries;
      },
      onSecondaryRateLimit: (after: number, _o: object, _k: unknown, count: number) => {
        options.log?.(`secondary rate limit; retrying in ${after}s`);
        return count < retries;
      },
    },
  });
  return octokitReleaseStore(octokit, { owner, repo }, (code) =>
    code === 401 || code === 403
      ? "check the token and its contents:write permission"
      : "check --api-url and retry",
  );
}

/** The Octokit calls the store makes (@octokit/rest's, or an app installation's). */
export type ReleaseOctokit = Pick<Octokit, "rest" | "paginate" | "request">;

/** A ReleaseStore for `ref` on `octokit`; `hint` says what to check after a failed request. */
export function octokitReleaseStore(
  octokit: ReleaseOctokit,
  ref: { owner: string; repo: string },
  hint: (status: number | undefined) => string,
): ReleaseStore {
  const failed = (what: string, e: unknown): LpctlError => {
    const code = status(e);
    return new LpctlError(
      "RELEASE_FAILED",
      `${what}${code ? ` (HTTP ${code})` : ""}: ${e instanceof Error ? e.message : "request failed"}; ${hint(code)}`,
      { cause: e },
    );
  };
  const base = ref;
  return {
    async getReleaseByTag(tag) {
      try {
        const res = await octokit.rest.repos.getReleaseByTag({ ...base, tag });
        return toRelease(res.data);
      } catch (e) {
        if (status(e) === 404) return undefined;
        throw failed(`cannot read release ${tag}`, e);
      }
    },
    async getLatestRelease() {
      try {
        return toRelease((await octokit.rest.repos.getLatestRelease(base)).data);
      } catch (e) {
        if (status(e) === 404) return undefined;
        throw failed("cannot read the latest release", e);
      }
    },
    async createRelease({ tag, commit, name, body }) {
      const res = await octokit.rest.repos
        .createRelease({
          ...base,
          tag_name: tag,
          target_commitish: commit,
          name,
          body,
          make_latest: "false",
        })
        .catch((e: unknown) => {
          throw failed(`cannot create release ${tag}`, e);
        });
      return toRelease(res.data);
    },
    async listAssets(release) {
      const assets = await octokit
        .paginate(octokit.rest.repos.listReleaseAssets, {
          ...base,
          release_id: release.id,
          per_page: 100,
        })
        .catch((e: unknown) => {
          throw failed(`cannot list the assets of ${release.tag}`, e);
        });
      return assets.map((a) => toAsset(a as ApiAsset));
    },
    async downloadAsset(release, asset) {
      const res = await octokit.rest.repos
        .getReleaseAsset({
          ...base,
          asset_id: asset.id,
          headers: { accept: "application/octet-stream" },
        })
        .catch((e: unknown) => {
          throw failed(`cannot download ${asset.name} from ${release.tag}`, e);
        });
      return new Uint8Array(res.data as unknown as ArrayBuffer);
    },
    async uploadAsset(release, name, bytes, contentType) {
      const res = await octokit
        .request({
          method: "POST",
          url: `${release.uploadUrl}?name=${encodeURIComponent(name)}`,
          data: bytes,
          headers: { "content-type": contentType, "content-length": bytes.length },
        })
        .catch((e: unknown) => {
          throw failed(`cannot upload ${name} to ${release.tag}`, e);
        });
      return toAsset(res.data as ApiAsset);
    },
    async deleteAsset(release, asset) {
      await octokit.rest.repos
        .deleteReleaseAsset({ ...base, asset_id: asset.id })
        .catch((e: unknown) => {
          throw failed(`cannot delete ${asset.name} from ${release.tag}`, e);
        });
    },
    async markLatest(release) {
      await octokit.rest.repos
        .updateRelease({ ...base, release_id: release.id, draft: false, make_latest: "true" })
        .catch((e: unknown) => {
          throw failed(`cannot mark ${release.tag} as latest`, e);
        });
    },
  };
}

const quiet = (): void => undefined;

function isLoopback(apiUrl: string | undefined): boolean {
  if (apiUrl === undefined) return false;
  const host = new URL(apiUrl).hostname;
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}

function status(e: unknown): number | undefined {
  return typeof e === "object" && e !== null && "status" in e && typeof e.status === "number"
    ? e.status
    : undefined;
}
