/**
 * Which targets a trusted run must have built: the plan of the change from
 * the commit the app published last to the run's commit (the same pure plan
 * as `lpctl plan`), or every target on a first publish. A missing artifact
 * for one of them is a failure, never "nothing to publish": otherwise
 * deleting a running build's artifacts would drop a merged fix silently.
 */
import { planTree } from "../../core/plan-tree.js";
import { planFromApi } from "./plan-api.js";
import { listTreePaths } from "./repo-reader.js";
import type { Octokit, RepoRef } from "./types.js";

export interface Required {
  /** Targets the change affects: each needs an artifact of the run. */
  targets: string[];
  /** Targets that exist at the run's commit. */
  existing: Set<string>;
}

const PAGE = 100;
const MAX_PAGES = 30;

/** The targets `head` must have rebuilt since `base` (undefined: nothing published yet). */
export async function requiredTargets(
  octokit: Octokit,
  ref: RepoRef,
  base: string | undefined,
  head: string,
): Promise<Required> {
  if (base === undefined) {
    const existing = new Set(targetIdsIn(await listTreePaths(octokit, ref, head)));
    return { targets: [...existing].sort(), existing };
  }
  const changed = await changedPaths(octokit, ref, base, head);
  const { plan, headPaths } = await planFromApi(octokit, ref, base, head, changed);
  return { targets: plan.targets, existing: new Set(targetIdsIn(headPaths)) };
}

async function changedPaths(
  octokit: Octokit,
  ref: RepoRef,
  base: string,
  head: string,
): Promise<string[]> {
  const out: string[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...ref,
      basehead: `${base}...${head}`,
      per_page: PAGE,
      page,
    });
    const files = data.files ?? [];
    for (const f of files) {
      out.push(f.filename);
      // A rename changes two paths: the target or patch it left counts too.
      if (f.previous_filename) out.push(f.previous_filename);
    }
    if (files.length < PAGE) break;
  }
  return out;
}

const targetIdsIn = (paths: readonly string[]): string[] => planTree(paths, new Map()).targets;
