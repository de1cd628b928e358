/**
 * Which targets a trusted run must have built: the plan of the change from
 * the commit the app published last to the run's commit (the same pure plan
 * as `lpctl plan`), or every target on a first publish. A missing artifact
 * for one of them is a failure, never "nothing to publish": otherwise
 * deleting a running build's artifacts would drop a merged fix silently.
 */
import { planBuild } from "@livepatch-gitops/lpctl/core/plan";
import type { PlanTree } from "@livepatch-gitops/lpctl/core/plan-tree";
import { apiPlanTree, planFromApi } from "./plan-api.js";
import { listTreePaths } from "./repo-reader.js";
import type { Octokit, RepoRef } from "./types.js";

export interface Required {
  /** Targets the change affects: each needs an artifact of the run. */
  targets: string[];
  /** Targets that exist at the run's commit. */
  existing: Set<string>;
  /** The run's commit as the plan sees it: which patches target what, which are withdrawn. */
  head: PlanTree;
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
    const tree = await apiPlanTree(
      octokit,
      ref,
      head,
      await listTreePaths(octokit, ref, head),
      () => true,
    );
    const plan = planBuild({ changed: [], head: tree });
    return { targets: plan.targets, existing: new Set(tree.targets), head: tree };
  }
  const changed = await changedPaths(octokit, ref, base, head);
  const { plan, headTree } = await planFromApi(octokit, ref, base, head, changed);
  return { targets: plan.targets, existing: new Set(headTree.targets), head: headTree };
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
