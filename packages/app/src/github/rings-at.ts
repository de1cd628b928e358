/** `.github/livepatch-rings.yml` at an exact commit, through the API. */
import { LpctlError } from "@livepatch-gitops/lpctl/core/errors";
import { parseRingsFile, RINGS_PATH, type RingsFile } from "@livepatch-gitops/lpctl/core/rings";
import { MAX_YAML_BYTES } from "@livepatch-gitops/lpctl/core/yaml-input";
import { readFileAt } from "./repo-reader.js";
import type { Octokit, RepoRef } from "./types.js";

/** The rings file's text at `sha`; undefined when the commit has none. */
export async function ringsTextAt(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
): Promise<string | undefined> {
  const file = await readFileAt(octokit, ref, RINGS_PATH, sha, MAX_YAML_BYTES);
  if (file === undefined || file.text !== undefined) return file?.text;
  throw new LpctlError(
    "RINGS_INVALID",
    `${RINGS_PATH} at ${sha} is binary or larger than ${MAX_YAML_BYTES} bytes (${file.size}); it must be a small UTF-8 YAML file`,
  );
}

/** The rings at `sha`, checked (RINGS_INVALID); undefined when the commit has no rings file. */
export async function ringsAt(
  octokit: Octokit,
  ref: RepoRef,
  sha: string,
): Promise<RingsFile | undefined> {
  const text = await ringsTextAt(octokit, ref, sha);
  return text === undefined ? undefined : parseRingsFile(`${RINGS_PATH} at ${sha}`, text);
}
