/**
 * Reads repository content through the REST API at an exact commit: the
 * default branch's head (configuration), a PR's head (patches to lint) or
 * its merge base. Never a branch name that may move while the event runs.
 */
import { decodeText } from "@livepatch-gitops/lpctl/builder/repo/read-entry";
import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";
import { SIZE_LIMITS } from "@livepatch-gitops/lpctl/core/repo-snapshot";
import { httpStatus, type Octokit, type RepoRef } from "./types.js";

/** The default branch and the commit at its head. */
export async function defaultBranchHead(
  octokit: Octokit,
  ref: RepoRef,
): Promise<{ branch: string; sha: string }> {
  const { data: repo } = await octokit.rest.repos.get(ref);
  const { data: branch } = await octokit.rest.repos.getBranch({
    ...ref,
    branch: repo.default_branch,
  });
  return { branch: repo.default_branch, sha: branch.commit.sha };
}

export interface FileText {
  path: string;
  size: number;
  /** UTF-8 text; undefined when the file is binary or over the limit. */
  text?: string;
}

/** The file at `path` in commit `sha`, or undefined when it does not exist there. */
export async function readFileAt(
  octokit: Octokit,
  ref: RepoRef,
  path: string,
  sha: string,
  limit: number = SIZE_LIMITS.patch,
): Promise<FileText | undefined> {
  let data: unknown;
  try {
    ({ data } = await octokit.rest.repos.getContent({ ...ref, path, ref: sha }));
  } catch (e) {
    if (httpStatus(e) === 404) return undefined;
    throw e;
  }
  if (
    Array.isArray(data) ||
    typeof data !== "object" ||
    data === null ||
    !("type" in data) ||
    data.type !== "file"
  )
    return undefined;
  const file = data as unknown as { size: number; content?: string; encoding?: string };
  if (file.size > limit || file.content === undefined || file.encoding !== "base64")
    return { path, size: file.size };
  const bytes = new Uint8Array(Buffer.from(file.content, "base64"));
  // Same rule as the checkout reader: NUL or invalid UTF-8 means binary.
  const text = decodeText(bytes);
  return { path, size: bytes.length, ...(text === undefined ? {} : { text }) };
}

/** Every blob path under kernels/ and patches/ at `sha`. */
export async function listTreePaths(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
): Promise<string[]> {
  const { data } = await octokit.rest.git.getTree({ ...ref, tree_sha: sha, recursive: "1" });
  if (data.truncated)
    throw new LpctlError(
      "REPO_INVALID",
      `the tree of ${sha} is too large for one API listing; keep kernels/ and patches/ under GitHub's tree limit`,
    );
  return data.tree
    .filter(
      (e) => e.type === "blob" && e.path !== undefined && /^(?:kernels|patches)\//.test(e.path),
    )
    .map((e) => e.path)
    .sort();
}
