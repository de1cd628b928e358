/** `.github/livepatch.yml` at the default branch's head commit: never the PR head. */
import {
  CONFIG_PATH,
  parseAppConfig,
  type AppConfig,
} from "@livepatch-gitops/lpctl/core/livepatch-config";
import { defaultBranchHead, readFileAt } from "./repo-reader.js";
import type { Octokit, RepoRef } from "./types.js";

export interface LoadedConfig {
  config: AppConfig;
  defaultBranch: string;
  /** The commit the configuration was read at. */
  sha: string;
}

/** The repository's configuration as its default branch holds it now (the defaults when absent). */
export async function loadConfig(octokit: Octokit, ref: RepoRef): Promise<LoadedConfig> {
  const head = await defaultBranchHead(octokit, ref);
  const file = await readFileAt(octokit, ref, CONFIG_PATH, head.sha, 256 * 1024);
  const config = parseAppConfig(
    file?.text,
    `${CONFIG_PATH} on ${head.branch} (${head.sha.slice(0, 7)})`,
  );
  return { config, defaultBranch: head.branch, sha: head.sha };
}
